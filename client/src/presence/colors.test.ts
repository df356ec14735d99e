import { describe, expect, it } from "vitest";
import { COLORS } from "../lib/identity";
import { distinctColor } from "./colors";

const [red, orange, olive] = COLORS as [string, string, string];

describe("distinctColor", () => {
  it("keeps one's own colour when nobody else shows it", () => {
    expect(distinctColor(red, 5, [{ clientId: 1, color: orange }])).toBe(red);
  });

  it("the higher client id moves to the next colour nobody before it shows; the lower keeps its own", () => {
    expect(distinctColor(red, 5, [{ clientId: 1, color: red }])).toBe(orange);
    expect(
      distinctColor(red, 5, [
        { clientId: 1, color: red },
        { clientId: 2, color: orange },
      ]),
    ).toBe(olive);
    // Someone after it showing that colour moves instead.
    expect(
      distinctColor(red, 5, [
        { clientId: 1, color: red },
        { clientId: 9, color: orange },
      ]),
    ).toBe(orange);
    expect(distinctColor(red, 1, [{ clientId: 5, color: red }])).toBe(red);
  });

  it("a full room of people who all picked one colour ends with ten, whoever updates when", () => {
    const ids = [40, 7, 99, 3, 12, 58, 21, 77, 5, 31];
    const shown = new Map(ids.map((id) => [id, red]));
    // Everyone recomputes from the same snapshot at once (the worst case), round after round.
    for (let round = 0; round < ids.length; round++) {
      const snapshot = new Map(shown);
      for (const id of ids) {
        const others = ids.filter((o) => o !== id).map((o) => ({ clientId: o, color: snapshot.get(o)! }));
        shown.set(id, distinctColor(red, id, others));
      }
    }
    expect(new Set(shown.values()).size).toBe(ids.length);
    // And it has settled: one more round changes nothing.
    for (const id of ids) {
      const others = ids.filter((o) => o !== id).map((o) => ({ clientId: o, color: shown.get(o)! }));
      expect(distinctColor(red, id, others)).toBe(shown.get(id));
    }
  });

  it("has ten colours, all different", () => {
    expect(new Set(COLORS).size).toBe(10);
  });
});
