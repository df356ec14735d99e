import { describe, expect, it } from "vitest";
import { countText } from "./count";

describe("countText", () => {
  it("counts words and characters like a word processor", () => {
    expect(countText("")).toEqual({ words: 0, characters: 0 });
    expect(countText("Hello, world!")).toEqual({ words: 2, characters: 13 });
    expect(countText("  spaced   out  ")).toEqual({ words: 2, characters: 16 });
    expect(countText("don't stop-me now")).toEqual({ words: 4, characters: 17 });
  });

  it("does not count block breaks as characters, nor punctuation alone as words", () => {
    expect(countText("One.\nTwo.\n— …")).toEqual({ words: 2, characters: 11 });
  });

  it("counts what people see: emoji and combining marks are one character", () => {
    expect(countText("👍🏽 ok").characters).toBe(4);
    expect(countText("e\u0301te\u0301").characters).toBe(3);
  });

  it("splits scripts written without spaces into words", () => {
    expect(countText("我喜欢读书").words).toBeGreaterThan(1);
  });
});
