import { describe, expect, it } from "vitest";
import { TokenBucket } from "./rate-limit";

describe("TokenBucket", () => {
  it("allows a burst, then refills at the configured rate", () => {
    const b = new TokenBucket(10, 3);
    const t0 = Date.now();
    expect([b.take(t0), b.take(t0), b.take(t0)]).toEqual([0, 0, 0]);
    expect(b.take(t0)).toBeGreaterThan(0);
    expect(b.take(t0 + 100)).toBe(0); // 100 ms at 10/s = one token
    expect(b.take(t0 + 100)).toBeGreaterThan(0);
  });

  it("charges extra tokens into debt, which the refill pays back before the next take", () => {
    const b = new TokenBucket(10, 5);
    const t0 = Date.now();
    b.charge(8, t0);
    expect(b.take(t0)).toBeGreaterThan(0); // 5 − 8 = −3
    expect(b.take(t0 + 300)).toBeGreaterThan(0); // −3 + 3 = 0
    expect(b.take(t0 + 400)).toBe(0); // +1
  });
});
