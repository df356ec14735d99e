import { describe, expect, it } from "vitest";
import { type FitItem, fitToolbar, rowWidth } from "./toolbar-fit";

const space = { available: 0, gap: 2, separator: 9, more: 32 };
const item = (key: string, keep: number, group = "a", width = 32): FitItem => ({ key, width, keep, group });

describe("fitToolbar", () => {
  const items = [
    item("undo", 9, "h"),
    item("redo", 9, "h"),
    item("h1", 7, "b"),
    item("bold", 10, "t"),
    item("table", 3, "t"),
    item("ai", 8, "x", 48),
  ];

  it("shows everything, without a More button, when the row has room", () => {
    const all = rowWidth(items, space, false);
    expect(fitToolbar(items, { ...space, available: all })).toEqual(new Set(items.map((i) => i.key)));
  });

  it("sends the least wanted items to the More menu first and keeps room for its button", () => {
    const all = rowWidth(items, space, false);
    const shown = fitToolbar(items, { ...space, available: all - 1 });
    expect(shown.has("table")).toBe(false);
    expect(shown.has("bold")).toBe(true);
    const row = items.filter((i) => shown.has(i.key));
    expect(rowWidth(row, space, true)).toBeLessThanOrEqual(all - 1);
  });

  it("keeps the most wanted on a narrow row, and a smaller item still fills a gap a wide one left", () => {
    const narrow = { ...space, available: 32 * 3 + 2 * 3 + 9 * 2 + 32 };
    const shown = fitToolbar(items, narrow);
    expect([...shown]).toEqual(["bold", "undo", "redo"]);
    // Room for one more plain button, not for the 48 px AI button: h1 (keep 7) fits the gap.
    const wider = { ...narrow, available: narrow.available + 34 + 9 };
    expect(fitToolbar(items, wider)).toEqual(new Set(["bold", "undo", "redo", "h1"]));
  });

  it("shows nothing but the More button when not even one item fits", () => {
    expect(fitToolbar(items, { ...space, available: 40 }).size).toBe(0);
  });
});
