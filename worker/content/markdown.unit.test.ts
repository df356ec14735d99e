import { getSchema, type JSONContent } from "@tiptap/core";
import { yXmlFragmentToProseMirrorRootNode, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { fragmentToJson } from "../../shared/content";
import { contentDepth } from "../../shared/content-normalize";
import { IMPORT_BLOCKS_PER_STEP, MAX_CONTENT_DEPTH } from "../../shared/limits";
import { schemaExtensions } from "../../shared/schema";
import { decodeGrant, encodeGrant } from "../access/connections";
import { applyBlocks, parseMarkdown } from "./markdown";

async function into(md: string, existing?: (f: Y.XmlFragment) => void, mode: "append" | "replace" = "append") {
  const doc = new Y.Doc();
  const f = doc.getXmlFragment("default");
  if (existing) existing(f);
  const parsed = await parseMarkdown(md);
  await applyBlocks(parsed, mode, (change) => doc.transact(() => change(f)));
  return yXmlFragmentToProsemirrorJSON(f) as {
    content: { type: string; content?: { text?: string; marks?: { type: string; attrs?: Record<string, unknown> }[] }[] }[];
  };
}

describe("markdown import", () => {
  it("keeps structure and marks through the copy into the live document", async () => {
    const json = await into("# Title\n\nA **bold** word.\n\n- [ ] task\n\n> quote");
    expect(json.content.map((n) => n.type)).toEqual(["heading", "paragraph", "taskList", "blockquote"]);
    const bold = json.content[1]!.content!.find((t) => t.text === "bold");
    expect(bold?.marks?.map((m) => m.type)).toEqual(["bold"]);
  });

  it("drops links whose target the editor would refuse, keeps the text", async () => {
    const json = await into("[ok](https://a.example) [bad](javascript:alert(1)) [data](data:text/html,x)");
    const parts = json.content[0]!.content!;
    const linked = parts.filter((p) => p.marks?.some((m) => m.type === "link"));
    expect(linked.map((p) => p.marks![0]!.attrs!.href)).toEqual(["https://a.example"]);
    expect(parts.map((p) => p.text).join("")).toContain("bad");
  });

  it("appends after or replaces what is there", async () => {
    const seed = (f: Y.XmlFragment) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText("old")]);
      f.insert(0, [p]);
    };
    expect((await into("new", seed, "append")).content).toHaveLength(2);
    const replaced = await into("new", seed, "replace");
    expect(replaced.content).toHaveLength(1);
    expect(replaced.content[0]!.content![0]!.text).toBe("new");
  });

  it("reports the size of what it would add", async () => {
    expect((await parseMarkdown("x".repeat(10_000))).bytes).toBeGreaterThan(10_000);
    expect((await parseMarkdown("")).blocks).toHaveLength(0);
  });
});

describe("connection grants", () => {
  it("round-trip through the header and reject anything else", () => {
    expect(decodeGrant(encodeGrant({ kind: "edit", gen: 3 }))).toEqual({ kind: "edit", gen: 3 });
    for (const bad of [null, "", "admin:1", "edit:", "edit:-1", "edit:1:2", "owner:1e3"]) {
      expect(decodeGrant(bad)).toBeNull();
    }
  });
});

describe("applying an import", () => {
  it("writes a big import in steps of IMPORT_BLOCKS_PER_STEP blocks, in order, nothing lost", async () => {
    const md = Array.from({ length: 3 * IMPORT_BLOCKS_PER_STEP + 5 }, (_, i) => `p${i}`).join("\n\n");
    const doc = new Y.Doc();
    const f = doc.getXmlFragment("default");
    let steps = 0;
    await applyBlocks(await parseMarkdown(md), "append", (change) => {
      steps++;
      doc.transact(() => change(f));
    });
    expect(steps).toBe(4);
    const texts = f.toArray().map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText).toString());
    expect(texts).toEqual(Array.from({ length: 3 * IMPORT_BLOCKS_PER_STEP + 5 }, (_, i) => `p${i}`));
  });
});

describe("markdown import never loses or corrupts content", () => {
  const schema = getSchema(schemaExtensions());
  /** What the editor would read back from the stored blocks. */
  async function stored(md: string) {
    const doc = new Y.Doc();
    const f = doc.getXmlFragment("default");
    const parsed = await parseMarkdown(md);
    await applyBlocks(parsed, "append", (change) => doc.transact(() => change(f)));
    const json = fragmentToJson(f, schema);
    schema.nodeFromJSON(json).check();
    // The browser's binding renders the stored blocks as they are, deleting nothing.
    let writes = 0;
    doc.on("update", () => writes++);
    expect(yXmlFragmentToProseMirrorRootNode(f, schema).eq(schema.nodeFromJSON(json))).toBe(true);
    expect(writes).toBe(0);
    return json as JSONContent & { content: JSONContent[] };
  }
  const textOf = (json: JSONContent) => schema.nodeFromJSON(json).textBetween(0, schema.nodeFromJSON(json).content.size, "\n", "\n");

  it("imports a block image on its own line as an image node, with its remote address", async () => {
    const json = await stored("Intro\n\n![an image](https://example.org/x.png)\n\nOutro");
    expect(json.content.map((n) => n.type)).toEqual(["paragraph", "image", "paragraph"]);
    expect(json.content[1]!.attrs).toMatchObject({ src: "https://example.org/x.png", alt: "an image" });
  });

  it("imports a GFM table as a table, cell text included", async () => {
    const json = await stored("Before\n\n| Name | Year |\n| :--- | ---: |\n| Ada | **1815** |\n| Alan | 1912 |\n\nAfter");
    expect(json.content.map((n) => n.type)).toEqual(["paragraph", "table", "paragraph"]);
    expect(textOf(json)).toBe("Before\nName\nYear\nAda\n1815\nAlan\n1912\nAfter");
  });

  it("keeps the text of everything the schema cannot represent", async () => {
    const md = [
      "<div class='x'>raw html block</div>",
      "",
      "Footnote[^1] and $math$ and :emoji: and <span>inline html</span>.",
      "",
      "[^1]: the note text",
      "",
      "####### seven hashes",
      "",
      "Term",
      ": definition",
      "",
      "![bad image](javascript:alert(1)) ![data image](data:image/png;base64,AAAA) [bad link](javascript:alert(2))",
      "",
      "- [ ] task with ![inline image](https://example.org/i.png) inside",
    ].join("\n");
    const text = textOf(await stored(md));
    for (const word of [
      "raw html block",
      "Footnote",
      "math",
      "emoji",
      "inline html",
      "the note text",
      "seven hashes",
      "Term",
      "definition",
      "bad image",
      "data image",
      "bad link",
      "task with",
      "inside",
    ]) {
      expect(text).toContain(word);
    }
    expect(JSON.stringify(await stored(md))).not.toMatch(/javascript:|data:image/);
  });

  it("parses deep nesting without overflowing, flattened to the depth limit", async () => {
    for (const md of [
      `${"> ".repeat(20_000)}deep quote`,
      `${"- ".repeat(20_000)}deep list`,
      Array.from({ length: 400 }, (_, i) => `${"  ".repeat(i)}- level ${i}`).join("\n"),
    ]) {
      const json = await stored(md);
      expect(contentDepth(json)).toBeLessThanOrEqual(MAX_CONTENT_DEPTH);
      expect(textOf(json)).toMatch(/deep quote|deep list|level 399/);
    }
  });

  it("keeps text past the line and list-item caps as plain text, in its place", async () => {
    const longLine = "word ".repeat(10_000);
    const item = `- ${"line\n".repeat(3_000)}`;
    for (const md of [`start ${longLine}end`, `${item}\nafter`]) {
      const text = textOf(await stored(md)).replace(/\s+/g, " ");
      expect(text).toBe(md.replace(/^- /, "").replace(/\s+/g, " ").trim());
    }
  });
});
