import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DIRECT_UPDATES_PER_TICK, MAX_BATCH_BYTES, MAX_BATCH_UPDATES } from "../../shared/limits";
import { UpdateBatcher, type Pending } from "./batcher";

describe("UpdateBatcher", () => {
  let batches: Pending<string>[][];
  let batcher: UpdateBatcher<string>;
  beforeEach(() => {
    vi.useFakeTimers();
    batches = [];
    batcher = new UpdateBatcher<string>((b) => batches.push(b));
  });
  afterEach(() => vi.useRealTimers());
  const u = (n: number) => new Uint8Array([n]);

  it("applies a lone update at once, without waiting for a timer", () => {
    batcher.push("a", u(1));
    expect(batches).toHaveLength(1);
  });

  it("groups a burst into one batch at the end of the tick, in order", () => {
    for (let i = 0; i < 10; i++) batcher.push("a", u(i));
    expect(batches).toHaveLength(DIRECT_UPDATES_PER_TICK);
    vi.runAllTimers();
    expect(batches).toHaveLength(DIRECT_UPDATES_PER_TICK + 1);
    expect(batches.flat().map((p) => p.update[0])).toEqual([...Array(10).keys()]);
  });

  it("flushes early when the batch is full", () => {
    for (let i = 0; i < DIRECT_UPDATES_PER_TICK + MAX_BATCH_UPDATES; i++) batcher.push("a", u(i % 250));
    expect(batches.at(-1)).toHaveLength(MAX_BATCH_UPDATES);
  });

  it("cuts batches before they pass MAX_BATCH_BYTES, whatever the sizes that arrive", () => {
    const big = () => new Uint8Array(Math.floor(MAX_BATCH_BYTES / 3) + 1);
    for (let i = 0; i < DIRECT_UPDATES_PER_TICK; i++) batcher.push("a", u(i));
    for (let i = 0; i < 20; i++) batcher.push("a", big());
    vi.runAllTimers();
    const queued = batches.slice(DIRECT_UPDATES_PER_TICK);
    expect(queued.flat()).toHaveLength(20);
    for (const b of queued) expect(b.reduce((n, p) => n + p.update.byteLength, 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    // A single update over the cap still goes through, alone.
    batcher.push("a", new Uint8Array(MAX_BATCH_BYTES + 10));
    batcher.push("a", new Uint8Array(MAX_BATCH_BYTES + 10));
    batcher.push("a", u(1));
    vi.runAllTimers();
    expect(batches.slice(-2).map((b) => b.length)).toEqual([1, 1]);
  });

  it("flush() applies what is queued so other frames keep their order", () => {
    for (let i = 0; i < 5; i++) batcher.push("a", u(i));
    batcher.flush();
    expect(batches.flat()).toHaveLength(5);
    vi.runAllTimers();
    expect(batches.flat()).toHaveLength(5);
  });

  it("starts a new tick after the timer fires", () => {
    for (let i = 0; i < 5; i++) batcher.push("a", u(i));
    vi.runAllTimers();
    const before = batches.length;
    batcher.push("b", u(9));
    expect(batches.length).toBe(before + 1);
  });

  it("knows how far a connection's queued updates reach, so a check can wait for them without cutting the batch", () => {
    for (let i = 0; i < DIRECT_UPDATES_PER_TICK; i++) batcher.push("a", u(i));
    expect(batcher.queuedThrough("a")).toBeNull(); // applied at once
    batcher.push("a", u(10));
    batcher.push("b", u(11));
    batcher.push("a", u(12));
    const through = batcher.queuedThrough("a");
    expect(through).not.toBeNull();
    expect(batcher.queuedThrough("b")).toBeLessThan(through!);
    expect(batcher.processed).toBeLessThan(through!);
    vi.runAllTimers();
    expect(batcher.processed).toBeGreaterThanOrEqual(through!);
    expect(batcher.queuedThrough("a")).toBeNull();
    expect(batches.at(-1)!.map((p) => p.update[0])).toEqual([10, 11, 12]);
  });

  it("marks SyncStep2 bytes as not exactly their sender's change", () => {
    batcher.push("a", u(1), false);
    expect(batches[0]![0]!.exact).toBe(false);
    batcher.push("a", u(2));
    expect(batches[1]![0]!.exact).toBe(true);
  });
});
