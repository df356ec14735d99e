import { MarkdownManager } from "@tiptap/markdown";
import { describe, expect, it } from "vitest";
import { schemaExtensions } from "../../shared/schema";
import { joinPieces, splitMarkdown } from "./markdown-chunks";

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
  "- tight item three",
  "- tight item four",
  "",
  "1. first",
  "",
  "2. second",
  "3. third",
  "",
  "> quoted",
  ">",
  "> quoted more",
  ">",
  "> and more",
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
  "- [ ] more",
  "",
  "| name | value |",
  "| ---- | ----: |",
  "| a    | 1     |",
  "| b    | 2     |",
  "| c    | 3     |",
  "",
  "Setext heading",
  "==============",
  "",
  "---",
  "## After a rule",
  "Right after a heading",
  "***",
  "",
  "Closing paragraph.",
  "",
  "[ref]: https://example.com/ref",
].join("\n");

const parser = new MarkdownManager({ extensions: schemaExtensions() });
const parseWhole = (md: string) => parser.parse(md).content ?? [];
const parsePieces = (md: string, size: number) =>
  joinPieces([...splitMarkdown(md, size)].map((p) => ({ blocks: parser.parse(p.text).content ?? [], seam: p.seam })));

describe("splitMarkdown", () => {
  it("gives the same blocks as parsing the whole text, however small the pieces", () => {
    const whole = parseWhole(SAMPLE);
    for (const size of [1, 16, 64, 200]) {
      expect([...splitMarkdown(SAMPLE, size)].length).toBeGreaterThan(1);
      expect(parsePieces(SAMPLE, size), `pieces of ${size}`).toEqual(whole);
    }
  });

  it("cuts inside long lists, tables and quotes, and between single-line blocks", () => {
    const list = Array.from({ length: 400 }, (_, i) => `- item ${i} with **bold**`).join("\n");
    const ordered = Array.from({ length: 400 }, (_, i) => `${i + 1}. step ${i}`).join("\n");
    const tasks = Array.from({ length: 300 }, (_, i) => `- [${i % 2 ? "x" : " "}] task ${i}`).join("\n");
    const table = ["| a | b |", "|---|---|", ...Array.from({ length: 400 }, (_, i) => `| ${i} | *${i}* |`)].join("\n");
    const quote = Array.from({ length: 300 }, (_, i) => `> paragraph ${i}\n>`).join("\n");
    const rules = "---\n## h\n".repeat(400);
    for (const md of [list, ordered, tasks, table, quote, rules]) {
      const pieces = [...splitMarkdown(md, 512)];
      expect(pieces.length).toBeGreaterThan(4);
      expect(Math.max(...pieces.map((p) => p.text.length))).toBeLessThan(1024);
      expect(parsePieces(md, 512)).toEqual(parseWhole(md));
    }
  });

  it("never cuts inside a code fence, and starts plain pieces only on a new block", () => {
    const pieces = [...splitMarkdown(SAMPLE, 1)];
    for (const p of pieces.slice(1)) {
      if (p.seam === "none") expect(p.text).not.toMatch(/^(\s|[-*+]\s|\d+[.)]\s|>|\|)/);
      if (p.seam === "list") expect(p.text).toMatch(/^([-*+]|\d+[.)])\s/);
      if (p.seam === "table") expect(p.text).toMatch(/^\| name \| value \|\n\| ---- \| ----: \|\n\|/);
      if (p.seam === "quote") expect(p.text).toMatch(/^> \S/);
    }
    expect(pieces.some((p) => p.text.includes("const a = 1;\n\nNot a heading, still code\n\n```"))).toBe(true);
  });

  it("gives each piece the reference definitions it uses, and only those", () => {
    const md = `${"[one] and [two]\n\n".repeat(200)}[one]: https://one.example\n[two]: https://two.example\n[unused]: https://x.example`;
    const pieces = [...splitMarkdown(md, 256)];
    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces[0]!.text).toContain("[one]: https://one.example");
    expect(pieces[0]!.text).not.toContain("[unused]");
    expect(parsePieces(md, 256)).toEqual(parseWhole(md));
  });

  it("leaves short text alone", () => {
    expect([...splitMarkdown("a\n\nb")]).toEqual([{ text: "a\n\nb", seam: "none" }]);
  });
});
