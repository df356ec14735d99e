import { describe, expect, it } from "vitest";
import { isAllowedHref, safeHref } from "./links";

describe("link allowlist", () => {
  it.each([
    "https://example.org/a?b=c#d",
    "http://example.org",
    "HTTPS://EXAMPLE.ORG",
    "mailto:someone@example.org",
    "MailTo:someone@example.org",
    "#section-2",
    "#",
    "/docs/x",
    "/",
    "/a//b",
  ])("allows %j", (url) => expect(isAllowedHref(url)).toBe(true));

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "\u0000javascript:alert(1)",
    "\u001fjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "jav\u0000ascript:alert(1)",
    "javascript\u200b:alert(1)",
    "\u202ejavascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:image/png;base64,AAAA",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org",
    "tel:+123",
    "//evil.example/x",
    " //evil.example/x",
    "/\\evil.example/y",
    "\\\\evil.example/y",
    "\\/evil.example/y",
    "/\t/evil.example",
    "/\n/evil.example",
    "relative/path",
    "evil.example",
    "",
    "   ",
    "\u00a0javascript:alert(1)",
  ])("refuses %j", (url) => expect(isAllowedHref(url)).toBe(false));

  it("refuses what is not a string", () => {
    for (const v of [null, undefined, 42, {}, ["https://a.example"], { toString: () => "https://a.example" }]) {
      expect(isAllowedHref(v)).toBe(false);
    }
  });

  it("returns the address without the edge characters browsers ignore", () => {
    expect(safeHref("  https://example.org/x \n")).toBe("https://example.org/x");
    expect(safeHref("\u0001/docs")).toBe("/docs");
  });
});
