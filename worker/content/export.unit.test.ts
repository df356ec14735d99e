import { prosemirrorToYXmlFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { markdownReader } from "../../shared/markdown";
import { editorSchema } from "../../shared/schema";
import { isWellFormed } from "../../shared/text";
import { exportDoc } from "./export";
import { exportInPieces, readPieces } from "./export-pieces";

function sampleDoc(): Y.Doc {
  const doc = new Y.Doc();
  const f = doc.getXmlFragment("default");
  const h = new Y.XmlElement("heading");
  h.setAttribute("level", 2 as unknown as string);
  h.insert(0, [new Y.XmlText("Plan <img src=x onerror=alert(1)>")]);
  const p = new Y.XmlElement("paragraph");
  const t = new Y.XmlText();
  t.insert(0, "click", { link: { href: "javascript:alert(1)" } });
  t.insert(5, " and ", { link: null });
  t.insert(10, "go", { italic: true });
  p.insert(0, [t]);
  const list = new Y.XmlElement("bulletList");
  const li = new Y.XmlElement("listItem");
  const lp = new Y.XmlElement("paragraph");
  lp.insert(0, [new Y.XmlText("item")]);
  li.insert(0, [lp]);
  list.insert(0, [li]);
  f.insert(0, [h, p, list]);
  return doc;
}

describe("exportDoc", () => {
  it("serializes Markdown with Tiptap's serializer", () => {
    const md = exportDoc(sampleDoc(), "md", "T").body;
    expect(md).toContain("## Plan");
    expect(md).toContain("*go*");
    expect(md).toContain("- item");
  });

  it("keeps HTML inert: escaped text, no javascript: links", () => {
    const html = exportDoc(sampleDoc(), "html", "<b>T</b>").body;
    expect(html).not.toContain("<img");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("&lt;img");
    expect(html).toContain("<title>&#60;b&#62;T&#60;/b&#62;</title>");
    expect(html).toContain("<em>go</em>");
  });

  it("gives plain text line by line", () => {
    const txt = exportDoc(sampleDoc(), "txt", "T").body;
    expect(txt.split("\n").filter(Boolean)).toEqual(["Plan <img src=x onerror=alert(1)>", "click and go", "item"]);
  });

  it("gives ProseMirror JSON", () => {
    const json = JSON.parse(exportDoc(sampleDoc(), "json", "T").body) as { type: string; content: { type: string }[] };
    expect(json.type).toBe("doc");
    expect(json.content.map((n) => n.type)).toEqual(["heading", "paragraph", "bulletList"]);
  });
});

/** A document built in one transaction (Yjs bubbles each change to its parents, so
 * thousands of nested inserts one by one would take minutes). */
function build(fill: (f: Y.XmlFragment) => void): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => fill(doc.getXmlFragment("default")));
  return doc;
}

function para(text: string, attrs?: Record<string, unknown>): Y.XmlElement {
  const p = new Y.XmlElement("paragraph");
  const t = new Y.XmlText();
  p.insert(0, [t]);
  t.insert(0, text, attrs);
  return p;
}

function cell(tag: string, text: string): Y.XmlElement {
  const c = new Y.XmlElement(tag);
  c.insert(0, [para(text)]);
  return c;
}

const FORMATS = ["md", "html", "txt", "json"] as const;

describe("exportDoc with odd stored content", () => {
  it("answers every format for a blockquote nested 20,000 deep, with its text", () => {
    const doc = build((f) => {
      let cur = new Y.XmlElement("blockquote");
      f.insert(0, [cur]);
      for (let i = 0; i < 20_000; i++) {
        const next = new Y.XmlElement("blockquote");
        cur.insert(0, [next]);
        cur = next;
      }
      cur.insert(0, [para("deep down")]);
    });
    for (const format of FORMATS) expect(exportDoc(doc, format, "T").body).toContain("deep down");
  });

  it("never renders an element named script, an unknown node or mark, a nested fragment or junk attributes raw", () => {
    const doc = build((f) => {
      const script = new Y.XmlElement("script");
      script.insert(0, [new Y.XmlText("alert(1)")]);
      const unknown = new Y.XmlElement("iframe");
      unknown.setAttribute("src", "javascript:alert(2)");
      unknown.insert(0, [para("framed")]);
      const heading = new Y.XmlElement("heading");
      heading.setAttribute("level", "1 onclick=alert(3)");
      heading.insert(0, [new Y.XmlText("Title")]);
      const image = new Y.XmlElement("image");
      image.setAttribute("src", "https://example.org/a.png");
      image.setAttribute("width", { evil: true } as unknown as string);
      const nested = new Y.XmlFragment();
      f.insert(0, [script, unknown, heading, image, nested as unknown as Y.XmlElement, para("marked", { blink: {}, bold: {} })]);
      nested.insert(0, [para("inside a fragment")]);
    });
    const html = exportDoc(doc, "html", "T").body;
    expect(html).not.toMatch(/<script|<iframe|onclick|blink|javascript:/i);
    expect(html).toContain("<p>alert(1)</p>");
    expect(html).toContain("<p>framed</p>");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>marked</strong>");
    const json = JSON.parse(exportDoc(doc, "json", "T").body) as { content: { type: string; attrs?: Record<string, unknown> }[] };
    expect(json.content.map((n) => n.type)).toEqual(["paragraph", "paragraph", "heading", "image", "paragraph", "paragraph"]);
    expect(json.content[2]!.attrs).toEqual({ level: 1 });
    expect(json.content[3]!.attrs!.width).toBeNull();
    for (const format of FORMATS) expect(exportDoc(doc, format, "T").body).toContain("alert(1)");
  });

  it("writes no live Markdown link for a refused target, escapes titles and addresses", () => {
    const doc = build((f) => {
      f.insert(0, [
        para("click", { link: { href: "javascript:alert(1)" } }),
        para("ok", { link: { href: "https://example.org/a (b)", title: 'say "hi"' } }),
        para("[x](javascript:alert(2))"),
      ]);
    });
    const md = exportDoc(doc, "md", "T").body;
    // Only the escaped text of the third paragraph mentions javascript:, never as a link.
    expect(md.match(/javascript:/g)).toHaveLength(1);
    expect(md).toContain("\\[x\\](javascript:alert(2))");
    expect(md).toMatch(/^click$/m);
    expect(md).toContain('[ok](<https://example.org/a (b)> "say \\"hi\\"")');
  });

  it("sanitises code fence info strings and never lets code close its fence", () => {
    const doc = build((f) => {
      const code = new Y.XmlElement("codeBlock");
      code.setAttribute("language", 'js"><script>alert(1)</script>');
      code.insert(0, [new Y.XmlText("before\n```\n[live](https://evil.example)\n```\nafter")]);
      f.insert(0, [code]);
    });
    const md = exportDoc(doc, "md", "T").body;
    expect(md).not.toContain("<script>");
    expect(md.startsWith("````\n")).toBe(true);
    expect(md.trimEnd().endsWith("\n````")).toBe(true);
  });

  it("exports tables: GFM Markdown, an HTML table, cell text, table nodes", () => {
    const doc = build((f) => {
      const table = new Y.XmlElement("table");
      const head = new Y.XmlElement("tableRow");
      head.insert(0, [cell("tableHeader", "Name"), cell("tableHeader", "Pipe|d")]);
      const row = new Y.XmlElement("tableRow");
      row.insert(0, [cell("tableCell", "Ada"), cell("tableCell", "1815")]);
      table.insert(0, [head, row]);
      f.insert(0, [table]);
    });
    const md = exportDoc(doc, "md", "T").body;
    expect(md).toMatch(/\| Name +\| Pipe\\\|d \|/);
    expect(md).toMatch(/\| -+ \| -+ \|/);
    expect(md).toMatch(/\| Ada +\| 1815 +\|/);
    const html = exportDoc(doc, "html", "T").body;
    expect(html).toMatch(/<table[^>]*>.*<th><p>Name<\/p><\/th>.*<td><p>1815<\/p><\/td>.*<\/table>/s);
    expect(exportDoc(doc, "txt", "T").body).toBe("Name\tPipe|d\nAda\t1815\n");
    const json = JSON.parse(exportDoc(doc, "json", "T").body) as { content: { type: string; content: { type: string }[] }[] };
    expect(json.content[0]!.type).toBe("table");
    expect(json.content[0]!.content.map((r) => r.type)).toEqual(["tableRow", "tableRow"]);
  });

  it("exports images only with an allowed address", () => {
    const doc = build((f) => {
      const ok = new Y.XmlElement("image");
      ok.setAttribute("src", "https://example.org/x.png");
      ok.setAttribute("alt", "a [picture]");
      const bad = new Y.XmlElement("image");
      bad.setAttribute("src", "data:image/png;base64,AAAA");
      bad.setAttribute("alt", "inline data");
      f.insert(0, [ok, bad]);
    });
    const md = exportDoc(doc, "md", "T").body;
    expect(md).toContain("![a \\[picture\\]](https://example.org/x.png)");
    expect(md).not.toContain("data:");
    const html = exportDoc(doc, "html", "T").body;
    expect(html).toContain('<img src="https://example.org/x.png" alt="a [picture]"');
    expect(html).not.toContain("data:");
    expect(html).toContain("inline data");
  });
});

describe("exports in pieces", () => {
  /** A document of every kind of block the editor writes, `n` times over. */
  function varied(n: number): Y.Doc {
    const md = [
      "# Title",
      "",
      "A paragraph with **bold**, *italic*, `code` and [a link](https://example.org).",
      "",
      "- one",
      "- two",
      "  - nested",
      "",
      "3. three",
      "4. four",
      "",
      "- [x] done",
      "- [ ] open",
      "",
      "> quoted",
      "",
      "```js",
      "const a = 1;",
      "```",
      "",
      "| A | B |",
      "| --- | --- |",
      "| 1 | 2 |",
      "",
      "---",
      "",
      "![alt](https://example.org/i.png)",
      "",
      "",
    ].join("\n");
    const node = editorSchema().nodeFromJSON(markdownReader().parse(md.repeat(n)));
    const doc = new Y.Doc();
    prosemirrorToYXmlFragment(node, doc.getXmlFragment("default"));
    return doc;
  }

  it("writes every format exactly as in one go, however small the pieces", async () => {
    const doc = varied(4);
    for (const format of ["md", "html", "txt", "json"] as const) {
      const whole = exportDoc(doc, format, "T").body;
      for (const maxChars of [1, 200, 1_000_000]) {
        const out = await exportInPieces(
          readPieces(doc, "accepted", async () => {}, maxChars),
          format,
          "T",
        );
        expect(out.body, `${format} in pieces of ${maxChars}`).toBe(whole);
      }
    }
  });

  it("pauses between pieces, and reads each top-level block once", async () => {
    const doc = varied(10);
    let pauses = 0;
    const pieces: number[] = [];
    for await (const piece of readPieces(doc, "accepted", async () => void pauses++, 500)) pieces.push(piece.length);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pauses).toBe(pieces.length - 1);
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(doc.getXmlFragment("default").length);
  });

  it("makes half an emoji in the title or the text well-formed in every format", async () => {
    const doc = new Y.Doc();
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText("half \udc00 an emoji \ud83d")]);
    doc.getXmlFragment("default").insert(0, [p]);
    for (const format of ["md", "html", "txt", "json"] as const) {
      const out = await exportInPieces(readPieces(doc), format, "Quarterly report \ud83d");
      expect(isWellFormed(out.body), format).toBe(true);
      expect(out.body).toContain("half \ufffd an emoji \ufffd");
    }
  });
});
