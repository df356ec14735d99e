import { describe, expect, it } from "vitest";
import { cleanAuthor, cleanBody, isReservedName, personName } from "./comment-input";

describe("reserved name", () => {
  it.each([
    "AI",
    "ai",
    "a I",
    " A\tI ",
    "A\u200bI",
    "A\u200dI",
    "A\u00adI",
    "A\u2009I",
    "A.I.",
    "\uff21\uff29",
    "\ud835\udc00\ud835\udc08", // mathematical bold
    "\u0410\u0406",
    "\u0391\u0399",
    "a\u0301i",
    "A\u3164I",
    "A|",
  ])("reads %j as AI", (name) => {
    expect(isReservedName(name)).toBe(true);
    expect(personName(name)).toBe(`${name} (person)`);
    expect(isReservedName(personName(name))).toBe(false);
  });

  it.each(["Al", "Aina", "Kai", "A", "I", "AI2", "Anonymous"])("leaves %j alone", (name) => {
    expect(isReservedName(name)).toBe(false);
    expect(personName(name)).toBe(name);
  });
});

describe("text at the boundary", () => {
  it("makes bodies well-formed, drops controls, keeps tabs and line breaks", () => {
    expect(cleanBody(" a\ud83d b\u0000c\r\nd\te\u007f ")).toBe("a\ufffd bc\nd\te");
    expect(cleanBody("\ud83d\ude00 ok")).toBe("\ud83d\ude00 ok");
  });

  it("cleans names: hidden characters and bidi overrides out, spaces collapsed", () => {
    expect(cleanAuthor("  Ana\u202e \u200b  Lee\udc00 ")).toBe("Ana Lee\ufffd");
  });
});
