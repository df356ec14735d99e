import type { JSONContent } from "@tiptap/core";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { png } from "../test-support/images";
import { Document, Packer } from "docx";
import { buildDocx, buildDocxInPieces, documentOptions, imageSources } from "./docx";
import { blocks } from "./docx-blocks";

const ORIGIN = "https://quire.test";
const FILE_SRC = "/api/docs/doc_aaaaaaaaaaaaaaaaaa/files/AAAAAAAAAAAAAAAAAAAAAA";

const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const t = (text: string, marks: JSONContent["marks"] = []): JSONContent => ({ type: "text", text, marks });
const li = (type: "listItem" | "taskItem", text: string, attrs?: Record<string, unknown>): JSONContent => ({
  type,
  ...(attrs ? { attrs } : {}),
  content: [p(t(text))],
});

const SAMPLE: JSONContent = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 1 }, content: [t("Field notes")] },
    p(
      t("Plain, "),
      t("bold", [{ type: "bold" }]),
      t(" and "),
      t("a link", [{ type: "link", attrs: { href: "https://example.org/page" } }]),
      t(" and "),
      t("a local one", [{ type: "link", attrs: { href: "/d/x" } }]),
    ),
    {
      type: "bulletList",
      content: [
        li("listItem", "bullet one"),
        { type: "listItem", content: [p(t("bullet two")), { type: "bulletList", content: [li("listItem", "nested bullet")] }] },
      ],
    },
    { type: "orderedList", attrs: { start: 3, type: "1" }, content: [li("listItem", "third"), li("listItem", "fourth")] },
    { type: "taskList", content: [li("taskItem", "done task", { checked: true }), li("taskItem", "open task", { checked: false })] },
    { type: "blockquote", content: [p(t("quoted words"))] },
    { type: "codeBlock", attrs: { language: "ts" }, content: [t("const a = 1;\nconst b = 2;")] },
    { type: "horizontalRule" },
    {
      type: "table",
      content: [
        {
          type: "tableRow",
          content: [
            { type: "tableHeader", content: [p(t("Bird"))] },
            { type: "tableHeader", content: [p(t("Count"))] },
          ],
        },
        {
          type: "tableRow",
          content: [
            { type: "tableCell", content: [p(t("Wren"))] },
            { type: "tableCell", attrs: { colspan: 1 }, content: [p(t("3"))] },
          ],
        },
        { type: "tableRow", content: [{ type: "tableCell", attrs: { colspan: 2 }, content: [] }] },
      ],
    },
    { type: "image", attrs: { src: FILE_SRC, alt: "red square", width: 50 } },
    { type: "image", attrs: { src: "https://example.org/remote.png", alt: "remote picture" } },
  ],
};

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

describe("buildDocx", () => {
  it("writes a .docx whose document.xml holds headings, lists with checkbox state, quotes, code, a table, links and an embedded image", async () => {
    const image = png(80, 40);
    const out = await buildDocx(SAMPLE, {
      title: "Field notes",
      origin: ORIGIN,
      images: new Map([[FILE_SRC, { data: image, type: "png", width: 80, height: 40 }]]),
    });
    expect([...out.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]); // a zip
    const files = unzip(out);
    const xml = strFromU8(files["word/document.xml"]!);
    const rels = strFromU8(files["word/_rels/document.xml.rels"]!);

    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>.*Field notes/s);
    for (const text of [
      "bullet one",
      "nested bullet",
      "third",
      "done task",
      "open task",
      "quoted words",
      "const a = 1;",
      "const b = 2;",
      "Bird",
      "Wren",
      "remote picture",
    ]) {
      expect(xml).toContain(text);
    }
    // Lists: bullets at two levels, a numbered list starting at 3, two checkboxes, one checked.
    expect(xml).toMatch(/<w:ilvl w:val="1"\/>.*nested bullet/s);
    expect(strFromU8(files["word/numbering.xml"]!)).toMatch(/<w:start w:val="3"\/>/);
    expect(xml.match(/<w14:checkbox>/g)).toHaveLength(2);
    expect(xml).toMatch(/<w14:checked w14:val="1"\/>.*done task.*<w14:checked w14:val="0"\/>.*open task/s);
    expect(xml).toMatch(/<w:pStyle w:val="Quote"\/>.*quoted words/s);
    expect(xml).toMatch(/<w:pStyle w:val="Code"\/>.*const a = 1;/s);
    // The table, with a header row and a cell spanning both columns.
    expect(xml).toMatch(/<w:tbl>.*<w:tblHeader\/>.*Bird.*Wren.*<w:gridSpan w:val="2"\/>.*<\/w:tbl>/s);
    // Links: absolute as they are, site-relative ones against the origin.
    const hyperlinks = [...xml.matchAll(/<w:hyperlink [^>]*r:id="([^"]+)"/g)].map((m) => m[1]!);
    const targets = hyperlinks.map(
      (id) =>
        new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1],
    );
    expect(targets).toEqual(expect.arrayContaining(["https://example.org/page", `${ORIGIN}/d/x`, "https://example.org/remote.png"]));
    // The uploaded image is embedded: a drawing, its relationship and the bytes.
    expect(xml).toMatch(/<w:drawing>.*descr="red square"/s);
    expect(rels).toMatch(/relationships\/image"[^>]*Target="media\/[^"]+\.png"|Target="media\/[^"]+\.png"[^>]*relationships\/image"/);
    const media = Object.keys(files).filter((f) => f.startsWith("word/media/"));
    expect(media).toHaveLength(1);
    expect(files[media[0]!]).toEqual(image);
    expect(strFromU8(files["docProps/core.xml"]!)).toContain("<dc:title>Field notes</dc:title>");
  });

  it("lists image sources in document order, once each", () => {
    expect(imageSources(SAMPLE)).toEqual([FILE_SRC, "https://example.org/remote.png"]);
  });

  it("builds an empty document, and a 1 MB document in bounded time", async () => {
    expect(
      unzip(await buildDocx({ type: "doc", content: [] }, { title: "", origin: ORIGIN, images: new Map() }))["word/document.xml"],
    ).toBeDefined();
    const words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ";
    const content: JSONContent[] = [];
    let chars = 0;
    for (let i = 0; chars < 1024 * 1024; i++) {
      const text = `${i} ${words.repeat(6)}`;
      chars += text.length;
      content.push(
        i % 10 === 0 ? { type: "heading", attrs: { level: 2 }, content: [t(`Section ${i}`)] } : p(t(text), t(" bold", [{ type: "bold" }])),
      );
    }
    const started = performance.now();
    const out = await buildDocx({ type: "doc", content }, { title: "Big", origin: ORIGIN, images: new Map() });
    const ms = performance.now() - started;
    console.log(
      `docx: ${content.length} blocks, ${(chars / 1024 / 1024).toFixed(2)} MiB of text -> ${(out.byteLength / 1024).toFixed(0)} KiB in ${ms.toFixed(0)} ms`,
    );
    expect(strFromU8(unzip(out)["word/document.xml"]!)).toContain(`Section ${content.length - (content.length % 10 || 10)}`);
    // Observed 0.45–0.7 s (2026-12-02); a bound a loaded 2-core machine still meets.
    expect(ms).toBeLessThan(5_000);
  });
});

describe("runs", () => {
  it("set only the marks a text has, so styles (heading weight, quote italics) still apply", async () => {
    const out = await buildDocx(
      { type: "doc", content: [{ type: "blockquote", content: [p(t("quoted"))] }, p(t("strong", [{ type: "bold" }]))] },
      { title: "", origin: ORIGIN, images: new Map() },
    );
    const xml = strFromU8(unzip(out)["word/document.xml"]!);
    expect(xml).not.toMatch(/w:val="false"/);
    expect(xml).toMatch(/<w:b\/>.*strong/s);
  });
});

describe("in pieces", () => {
  it("writes the same package as docx's Packer in one go, whatever the pieces", async () => {
    const image = png(80, 40);
    const opts = {
      title: "Field notes",
      origin: ORIGIN,
      images: new Map([[FILE_SRC, { data: image, type: "png" as const, width: 80, height: 40 }]]),
    };
    // docx numbers drawings with a counter that runs across documents, and gives links
    // random relationship ids.
    const same = (xml: string) => xml.replace(/ id="\d+"/g, ' id="N"').replace(/rId[A-Za-z0-9_-]{12,}/g, "rIdX");
    const ordered = (start: number, ...items: JSONContent[][]): JSONContent => ({
      type: "orderedList",
      attrs: { start },
      content: items.map((c) => ({ type: "listItem", content: c })),
    });
    // Ordered lists everywhere a walk meets them: nested, quoted, in a table cell.
    const lists: JSONContent[] = [
      ordered(1, [p(t("a"))], [p(t("b")), ordered(5, [p(t("b1"))])]),
      { type: "blockquote", content: [ordered(2, [p(t("q"))])] },
      {
        type: "table",
        content: [{ type: "tableRow", content: [{ type: "tableCell", content: [ordered(7, [p(t("cell"))])] }] }],
      },
      ordered(9, [p(t("last"))]),
    ];
    const blocksOf = [...SAMPLE.content!, ...lists];
    // The reference: the document built and packed whole, as before pieces.
    const ctx = { images: opts.images, origin: ORIGIN, numbering: [] };
    const children = blocks(blocksOf, ctx, { quote: 0, list: 0 });
    const whole = unzip(
      await Packer.pack(new Document({ ...documentOptions(opts.title, ctx.numbering), sections: [{ children }] }), "uint8array"),
    );
    for (const cut of [[blocksOf], blocksOf.map((b) => [b]), [blocksOf.slice(0, 3), blocksOf.slice(3)]]) {
      const files = unzip(await buildDocxInPieces(cut, opts, async () => {}));
      expect(Object.keys(files).sort()).toEqual(Object.keys(whole).sort());
      for (const [name, bytes] of Object.entries(whole)) {
        if (name === "docProps/core.xml") continue; // its timestamps
        if (name.startsWith("word/media/")) expect(files[name]).toEqual(bytes);
        else expect(same(strFromU8(files[name]!)), name).toBe(same(strFromU8(bytes)));
      }
    }
  });

  it("pauses between pieces", async () => {
    const content = Array.from({ length: 50 }, (_, i) => p(t(`paragraph ${i}`)));
    let pauses = 0;
    const out = await buildDocxInPieces(
      Array.from({ length: 10 }, (_, i) => content.slice(i * 5, i * 5 + 5)),
      { title: "", origin: ORIGIN, images: new Map() },
      async () => {
        pauses += 1;
      },
    );
    expect(pauses).toBeGreaterThanOrEqual(2 * 9);
    expect(strFromU8(unzip(out)["word/document.xml"]!)).toMatch(/paragraph 0<.*paragraph 49</s);
  });
});
