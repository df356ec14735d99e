import { describe, expect, it } from "vitest";
import { admit } from "./limiter";

describe("admit (sliding window)", () => {
  it("lets `limit` requests through per window, then says when the next one fits", () => {
    let times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const a = admit(times, 1_000 + i * 100, 10, 60_000);
      expect(a.ok).toBe(true);
      times = a.times;
    }
    const refused = admit(times, 5_000, 10, 60_000);
    expect(refused).toEqual({ ok: false, times, retryAfterMs: 1_000 + 60_000 - 5_000 });
    expect(admit(times, 61_000, 10, 60_000).ok).toBe(true);
  });

  it("forgets requests outside the window and ignores times in the future", () => {
    const a = admit([1, 2, 3, 999_999], 100_000, 2, 60_000);
    expect(a).toEqual({ ok: true, times: [100_000] });
  });
});
