import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DIRECT_UPDATES_PER_TICK, MAX_BATCH_UPDATES } from "../../shared/limits";
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
});
