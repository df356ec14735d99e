import { getSchema, type JSONContent } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { fragmentToJson } from "./content";
import { ContentNormalizer, contentDepth } from "./content-normalize";
import { MAX_CONTENT_DEPTH } from "./limits";
import { schemaExtensions } from "./schema";

const schema = getSchema(schemaExtensions());
const normalizer = new ContentNormalizer(schema);

/** Valid for the schema (throws otherwise) and within the depth limit. */
function valid(json: JSONContent): JSONContent {
  schema.nodeFromJSON(json).check();
  expect(contentDepth(json)).toBeLessThanOrEqual(MAX_CONTENT_DEPTH);
  return json;
}

const textOf = (json: JSONContent): string => schema.nodeFromJSON(json).textBetween(0, schema.nodeFromJSON(json).content.size, "\n", "\n");

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

function fragment(build: (f: Y.XmlFragment) => void): Y.XmlFragment {
  const doc = new Y.Doc();
  const f = doc.getXmlFragment("default");
  // One transaction: Yjs bubbles each change up its parents, so 20,000 nested inserts
  // made one by one would take minutes.
  doc.transact(() => build(f));
  return f;
}

describe("normalizing parser output", () => {
  it("lifts nested arrays and bare text out of doc.content into paragraphs", () => {
    const json = valid(
      normalizer.docJson({
        type: "doc",
        content: [
          { type: "paragraph", content: [{ type: "text", text: "Intro" }] },
          [[{ type: "text", text: "an image" }]],
          { type: "text", text: "loose" },
        ],
      }),
    );
    expect(json.content!.map((n) => n.type)).toEqual(["paragraph", "paragraph"]);
    expect(textOf(json)).toBe("Intro\nan imageloose");
  });

  it("splits a paragraph around a block image instead of nesting it", () => {
    const json = valid(
      normalizer.docJson({
        type: "doc",
        content: [
          {
            type: "paragraph",
            content: [
              { type: "text", text: "a " },
              { type: "image", attrs: { src: "https://example.org/x.png", alt: "x" } },
              { type: "text", text: " b" },
            ],
          },
        ],
      }),
    );
    expect(json.content!.map((n) => n.type)).toEqual(["paragraph", "image", "paragraph"]);
  });

  it("turns an image with a refused address into its alt text", () => {
    const json = valid(normalizer.docJson([{ type: "image", attrs: { src: "javascript:alert(1)", alt: "the alt" } }]));
    expect(json.content).toEqual([{ type: "paragraph", content: [{ type: "text", text: "the alt" }] }]);
  });

  it("wraps what a container cannot hold directly and fills what it needs", () => {
    const json = valid(
      normalizer.docJson([
        { type: "bulletList", content: [{ type: "paragraph", content: [{ type: "text", text: "item" }] }] },
        { type: "table", content: [{ type: "text", text: "cell" }] },
        { type: "listItem", content: [] },
      ]),
    );
    expect(textOf(json)).toContain("item");
    expect(textOf(json)).toContain("cell");
  });

  it("flattens nesting past the depth limit without recursing into it, keeping the text", () => {
    let node: JSONContent = { type: "paragraph", content: [{ type: "text", text: "bottom" }] };
    for (let i = 0; i < 20_000; i++)
      node = { type: "blockquote", content: [node, { type: "paragraph", content: [{ type: "text", text: `level ${i}` }] }] };
    const json = valid(normalizer.docJson([node]));
    const text = textOf(json);
    expect(text).toContain("bottom");
    expect(text).toContain("level 0");
    expect(text).toContain("level 19999");
  });

  it("drops unknown marks and attributes, keeps known ones within their rules", () => {
    const json = valid(
      normalizer.docJson([
        {
          type: "heading",
          attrs: { level: 99, onclick: "x" },
          content: [
            {
              type: "text",
              text: "t",
              marks: [{ type: "evil" }, { type: "bold", attrs: { x: 1 } }, { type: "link", attrs: { href: "javascript:x" } }],
            },
          ],
        },
        { type: "tableCell", attrs: { colspan: "2", colwidth: [100, "x"] }, content: [] },
        { type: "image", attrs: { src: "https://example.org/i.png", width: "wide" } },
      ]),
    );
    expect(json.content![0]).toEqual({
      type: "heading",
      attrs: { level: 1 },
      content: [{ type: "text", text: "t", marks: [{ type: "bold" }] }],
    });
    const image = json.content!.find((n) => n.type === "image")!;
    expect(image.attrs).toMatchObject({ src: "https://example.org/i.png", width: null });
  });
});

describe("reading a Y.XmlFragment", () => {
  it("reads a blockquote nested 20,000 deep without overflowing, flattened below the limit", () => {
    const f = fragment((f) => {
      let cur = new Y.XmlElement("blockquote");
      f.insert(0, [cur]);
      for (let i = 0; i < 20_000; i++) {
        const next = new Y.XmlElement("blockquote");
        cur.insert(0, [next]);
        cur = next;
      }
      cur.insert(0, [paragraph("at the bottom")]);
    });
    const json = valid(fragmentToJson(f, schema));
    expect(textOf(json)).toBe("at the bottom");
  });

  it("keeps the text of unknown elements (even one named script) as plain paragraphs", () => {
    const f = fragment((f) => {
      const script = new Y.XmlElement("script");
      script.insert(0, [new Y.XmlText("alert(1)")]);
      const unknown = new Y.XmlElement("fancyWidget");
      unknown.insert(0, [paragraph("inside")]);
      f.insert(0, [script, unknown, paragraph("after")]);
    });
    const json = valid(fragmentToJson(f, schema));
    expect(json.content!.map((n) => n.type)).toEqual(["paragraph", "paragraph", "paragraph"]);
    expect(textOf(json)).toBe("alert(1)\ninside\nafter");
  });

  it("drops unknown marks, wrong attribute types and non-text embeds; keeps overlapping marks by name", () => {
    const f = fragment((f) => {
      const p = new Y.XmlElement("paragraph");
      const t = new Y.XmlText();
      t.insert(0, "marked", { evil: { x: 1 }, bold: {}, "link--abcdefgh": { href: "https://a.example" } });
      t.insertEmbed(6, { image: "x" });
      t.insert(7, "plain");
      p.insert(0, [t]);
      const h = new Y.XmlElement("heading");
      h.setAttribute("level", { nested: true } as unknown as string);
      h.insert(0, [new Y.XmlText("title")]);
      const img = new Y.XmlElement("image");
      img.setAttribute("src", "https://example.org/a.png");
      img.setAttribute("width", "100px");
      f.insert(0, [p, h, img]);
    });
    const json = valid(fragmentToJson(f, schema));
    const marked = json.content![0]!.content![0]!;
    expect(marked.text).toBe("marked");
    expect(marked.marks!.map((m) => m.type).sort()).toEqual(["bold", "link"]);
    expect(json.content![0]!.content![1]!.text).toBe("plain");
    expect(json.content![1]!.attrs).toEqual({ level: 1 });
    expect(json.content![2]!.attrs).toMatchObject({ src: "https://example.org/a.png", width: null });
  });

  it("survives a nested Y.XmlFragment and text directly in the root", () => {
    const f = fragment((f) => {
      const inner = new Y.XmlFragment();
      f.insert(0, [new Y.XmlText("loose text"), inner as unknown as Y.XmlElement, paragraph("ok")]);
      inner.insert(0, [paragraph("in the inner fragment")]);
    });
    const json = valid(fragmentToJson(f, schema));
    expect(textOf(json)).toContain("loose text");
    expect(textOf(json)).toContain("ok");
  });

  it("never writes to the document it reads", () => {
    const doc = new Y.Doc();
    const f = doc.getXmlFragment("default");
    const bad = new Y.XmlElement("unknownThing");
    f.insert(0, [bad, new Y.XmlText("a"), new Y.XmlText("b")]);
    const before = Y.encodeStateAsUpdate(doc);
    let writes = 0;
    doc.on("update", () => writes++);
    fragmentToJson(f, schema);
    expect(writes).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("gives an empty document one empty paragraph", () => {
    expect(
      valid(
        fragmentToJson(
          fragment(() => {}),
          schema,
        ),
      ),
    ).toEqual({ type: "doc", content: [{ type: "paragraph" }] });
  });
});
