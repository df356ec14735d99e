import { describe, expect, it } from "vitest";
import { hrefFromInput } from "./href-input";

describe("hrefFromInput (the link field)", () => {
  it("keeps allowed addresses and completes bare domains and mail addresses", () => {
    expect(hrefFromInput(" https://example.com/a?b#c ")).toBe("https://example.com/a?b#c");
    expect(hrefFromInput("example.com/path")).toBe("https://example.com/path");
    expect(hrefFromInput("ana@example.com")).toBe("mailto:ana@example.com");
    expect(hrefFromInput("mailto:ana@example.com")).toBe("mailto:ana@example.com");
    expect(hrefFromInput("#section")).toBe("#section");
    expect(hrefFromInput("/d/abc")).toBe("/d/abc");
  });

  it("refuses what the shared allowlist refuses, however it is dressed up", () => {
    for (const bad of ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example", "vbscript:x", "", "   "]) {
      expect(hrefFromInput(bad), bad).toBeNull();
    }
  });
});
