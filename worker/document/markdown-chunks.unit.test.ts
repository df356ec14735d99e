import { MarkdownManager } from "@tiptap/markdown";
import { describe, expect, it } from "vitest";
import { schemaExtensions } from "../../shared/schema";
import { splitMarkdown } from "./markdown-chunks";

const SAMPLE = [
  "# Title",
  "",
  "Intro with [a reference][ref] and **bold**.",
  "",
  "- loose item one",
  "",
  "  continued paragraph of item one",
  "",
  "- loose item two",
  "  - nested",
  "",
  "1. first",
  "",
  "2. second",
  "",
  "> quoted",
  "",
  "> quoted again",
  "",
  "```js",
  "const a = 1;",
  "",
  "Not a heading, still code",
  "",
  "```",
  "",
  "    indented code",
  "",
  "    more indented code",
  "",
  "- [ ] task",
  "- [x] done",
  "",
  "Setext heading",
  "==============",
  "",
  "---",
  "",
  "Closing paragraph.",
  "",
  "[ref]: https://example.com/ref",
].join("\n");

const parser = new MarkdownManager({ extensions: schemaExtensions() });
const parseWhole = (md: string) => parser.parse(md).content ?? [];
const parsePieces = (md: string, size: number) => splitMarkdown(md, size).flatMap((p) => parser.parse(p).content ?? []);

describe("splitMarkdown", () => {
  it("gives the same blocks as parsing the whole text, however small the pieces", () => {
    const whole = parseWhole(SAMPLE);
    for (const size of [1, 16, 64, 200]) {
      expect(splitMarkdown(SAMPLE, size).length).toBeGreaterThan(1);
      expect(parsePieces(SAMPLE, size), `pieces of ${size}`).toEqual(whole);
    }
  });

  it("never cuts inside a code fence or before a list item, quote or indented line", () => {
    const pieces = splitMarkdown(SAMPLE, 1);
    for (const p of pieces.slice(1)) {
      expect(p).not.toMatch(/^(\s|[-*+]\s|\d+[.)]\s|>|\|)/);
    }
    expect(pieces.some((p) => p.includes("const a = 1;\n\nNot a heading, still code\n\n```"))).toBe(true);
  });

  it("leaves short text alone", () => {
    expect(splitMarkdown("a\n\nb")).toEqual(["a\n\nb"]);
  });
});
