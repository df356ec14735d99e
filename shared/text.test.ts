import { describe, expect, it } from "vitest";
import { isWellFormed, wellFormed } from "./text";

describe("wellFormed", () => {
  it("replaces a lone high or low surrogate and keeps pairs", () => {
    expect(wellFormed("Quarterly report \ud83d")).toBe("Quarterly report \ufffd");
    expect(wellFormed("\ude00 start")).toBe("\ufffd start");
    expect(wellFormed("pair \ud83d\ude00 ok")).toBe("pair \ud83d\ude00 ok");
    expect(() => encodeURIComponent(wellFormed("a\ud800b\udc00"))).not.toThrow();
  });
  it("tells well-formed strings", () => {
    expect(isWellFormed("plain 😀")).toBe(true);
    expect(isWellFormed("half \ud83d")).toBe(false);
    expect(isWellFormed("\udc00 low")).toBe(false);
  });
});
