import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SAVE_CHECK_INTERVAL_MS } from "../../../shared/limits";
import { SaveTracker } from "./save-tracker";

describe("SaveTracker", () => {
  let sent: number[];
  let connected: boolean;
  let tracker: SaveTracker;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    connected = true;
    tracker = new SaveTracker(
      (seq) => {
        if (!connected) return false;
        sent.push(seq);
        return true;
      },
      () => {},
    );
  });
  afterEach(() => vi.useRealTimers());

  it("is pending until the server acknowledges the latest local change", () => {
    expect(tracker.pending).toBe(false);
    tracker.bump();
    tracker.bump();
    expect(tracker.pending).toBe(true);
    vi.advanceTimersByTime(SAVE_CHECK_INTERVAL_MS);
    expect(sent).toEqual([2]);
    tracker.acked(2);
    expect(tracker.pending).toBe(false);
  });

  it("one check covers a burst; changes after it need another check", () => {
    for (let i = 0; i < 50; i++) tracker.bump();
    vi.advanceTimersByTime(SAVE_CHECK_INTERVAL_MS);
    tracker.bump();
    vi.advanceTimersByTime(SAVE_CHECK_INTERVAL_MS * 3);
    expect(sent).toEqual([50]); // one in flight at a time
    tracker.acked(50);
    expect(tracker.pending).toBe(true);
    vi.advanceTimersByTime(SAVE_CHECK_INTERVAL_MS);
    expect(sent).toEqual([50, 51]);
    tracker.acked(51);
    expect(tracker.pending).toBe(false);
  });

  it("re-asks after a reconnect, since checks on the old socket are never answered", () => {
    tracker.bump();
    vi.advanceTimersByTime(SAVE_CHECK_INTERVAL_MS);
    expect(sent).toEqual([1]);
    connected = false;
    tracker.resynced(); // socket dropped and came back
    connected = true;
    tracker.resynced();
    vi.advanceTimersByTime(0);
    expect(sent).toEqual([1, 1]);
    expect(tracker.pending).toBe(true);
    tracker.acked(1);
    expect(tracker.pending).toBe(false);
  });

  it("never reports saved from an old acknowledgement", () => {
    tracker.bump();
    vi.advanceTimersByTime(SAVE_CHECK_INTERVAL_MS);
    tracker.bump();
    tracker.acked(1);
    expect(tracker.pending).toBe(true);
  });
});
