import { describe, expect, it } from "vitest";
import { COLORS } from "../lib/identity";
import { AI_COLOR, authorColors } from "./author-colors";

describe("authorColors", () => {
  const ana = { id: "p-ana", name: "Ana", kind: "person" as const, clients: [11] };
  const ben = { id: "p-ben", name: "Ben", kind: "person" as const, clients: [22, 23] };

  it("keeps the caret colour of someone present, matched by the client id they wrote with", () => {
    const colors = authorColors([ana, ben], [{ clientId: 23, name: "Someone else", color: COLORS[3]! }]);
    expect(colors.get("p-ben")).toBe(COLORS[3]);
    expect(colors.get("p-ana")).not.toBe(COLORS[3]);
  });

  it("falls back to the name, then to a stable palette colour, never sharing one while the palette lasts", () => {
    const byName = authorColors([ana], [{ clientId: 99, name: "Ana", color: COLORS[5]! }]);
    expect(byName.get("p-ana")).toBe(COLORS[5]);
    const people = Array.from({ length: COLORS.length }, (_, i) => ({ id: `p-${i}`, name: `P${i}`, kind: "person" as const }));
    const first = authorColors(people, []);
    expect(new Set(first.values()).size).toBe(COLORS.length);
    expect(authorColors(people, [])).toEqual(first);
  });

  it("gives AI text its own colour", () => {
    expect(authorColors([{ id: "ai-7", name: "AI", kind: "ai" }], []).get("ai-7")).toBe(AI_COLOR);
  });
});
