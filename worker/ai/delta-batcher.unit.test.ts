import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeltaBatcher } from "./delta-batcher";

describe("DeltaBatcher", () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it("sends the first piece at once, then at most one message per interval", () => {
    const sent: [number, string][] = [];
    const b = new DeltaBatcher((t) => sent.push([Date.now(), t]), 50, 4000);
    b.push("He");
    expect(sent).toEqual([[0, "He"]]);
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(5);
      b.push("x");
    }
    // 100 ms of pieces every 5 ms → one message per 50 ms.
    expect(sent.map(([t]) => t)).toEqual([0, 50, 100]);
    b.flush();
    expect(sent.map(([, t]) => t).join("")).toBe(`He${"x".repeat(20)}`);
    b.push("tail");
    b.flush();
    expect(sent.at(-1)![1]).toBe("tail");
  });

  it("splits text longer than the per-message cap", () => {
    const sent: string[] = [];
    const b = new DeltaBatcher((t) => sent.push(t), 50, 10);
    b.push("a".repeat(25));
    expect(sent).toEqual(["a".repeat(10), "a".repeat(10), "a".repeat(5)]);
  });

  it("cancel drops buffered text and its timer", () => {
    const sent: string[] = [];
    const b = new DeltaBatcher((t) => sent.push(t), 50, 4000);
    b.push("a");
    b.push("b");
    b.cancel();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(["a"]);
  });
});
