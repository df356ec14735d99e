import { getSchema } from "@tiptap/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { schemaExtensions } from "../../../shared/schema";
import { problemInEvents, problemInFragment } from "./render-guard";

const schema = getSchema(schemaExtensions());

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

function docWith(...blocks: Y.XmlElement[]): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment("default").insert(0, blocks);
  return doc;
}

/** What a peer sends: its changes, applied to our document as a remote update. Returns
 * the guard's verdict on the events our binding would see. */
function remote(ours: Y.Doc, change: (theirs: Y.Doc) => void): string | null {
  const theirs = new Y.Doc();
  Y.applyUpdate(theirs, Y.encodeStateAsUpdate(ours));
  const before = Y.encodeStateVector(theirs);
  change(theirs);
  let verdict: string | null | undefined;
  const fragment = ours.getXmlFragment("default");
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    verdict = problemInEvents(events, schema);
  };
  fragment.observeDeep(observer);
  Y.applyUpdate(ours, Y.encodeStateAsUpdate(theirs, before), "provider");
  fragment.unobserveDeep(observer);
  expect(verdict).not.toBeUndefined();
  return verdict!;
}

describe("render guard: a whole fragment", () => {
  it("passes everything the editor can render", () => {
    const table = new Y.XmlElement("table");
    const row = new Y.XmlElement("tableRow");
    const cell = new Y.XmlElement("tableCell");
    cell.insert(0, [paragraph("cell")]);
    row.insert(0, [cell]);
    table.insert(0, [row]);
    const image = new Y.XmlElement("image");
    image.setAttribute("src", "https://example.org/a.png");
    const marked = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    marked.insert(0, [text]);
    const doc = docWith(paragraph("hello"), table, image, marked);
    text.insert(0, "bold link", { bold: {}, "link--abcdefgh": { href: "https://a.example" } });
    expect(problemInFragment(doc.getXmlFragment("default"), schema)).toBeNull();
  });

  it.each([
    ["an unknown node", () => new Y.XmlElement("fancyWidget")],
    ["a node named text", () => new Y.XmlElement("text")],
    [
      "an image whose width the schema refuses",
      () => {
        const img = new Y.XmlElement("image");
        img.setAttribute("src", "https://example.org/a.png");
        img.setAttribute("width", "wide");
        return img;
      },
    ],
    [
      "a deeply nested unknown node",
      () => {
        const quote = new Y.XmlElement("blockquote");
        const inner = new Y.XmlElement("blockquote");
        inner.insert(0, [new Y.XmlElement("mystery")]);
        quote.insert(0, [inner]);
        return quote;
      },
    ],
  ])("flags %s", (_, make) => {
    expect(problemInFragment(docWith(paragraph("ok"), make()).getXmlFragment("default"), schema)).not.toBeNull();
  });

  it("flags unknown marks, embeds and non-XML content", () => {
    const a = docWith(paragraph("x"));
    ((a.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 1, { blink: {} });
    expect(problemInFragment(a.getXmlFragment("default"), schema)).toMatch(/mark/);

    const b = docWith(paragraph("x"));
    ((b.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText).insertEmbed(1, { img: "x" });
    expect(problemInFragment(b.getXmlFragment("default"), schema)).toMatch(/embedded/);

    const c = new Y.Doc();
    c.getXmlFragment("default").insert(0, [new Y.XmlHook("hook") as unknown as Y.XmlElement]);
    expect(problemInFragment(c.getXmlFragment("default"), schema)).not.toBeNull();
  });
});

describe("render guard: remote changes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("lets comment anchors and suggestions through, and stops them with junk attributes", () => {
    const doc = docWith(paragraph("reviewed text here"));
    const text = () => (doc.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const suggestion = { id: "42-1", author: "AI, asked by Ana", at: 1, command: "rewrite", model: "m" };
    expect(
      remote(doc, (d) => {
        const t = (d.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText;
        t.format(0, 8, { comment: { threadId: "AbCdEfGh1234" } });
        t.insert(9, "new ", { insertion: suggestion });
        t.format(13, 4, { deletion: { ...suggestion, command: null, model: null } });
      }),
    ).toBeNull();
    expect(text().toDelta().length).toBeGreaterThan(1);
    expect(
      remote(doc, (d) => {
        const t = (d.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText;
        t.format(0, 4, { insertion: { ...suggestion, id: "highest+1" } });
      }),
    ).not.toBeNull();
  });

  it("lets ordinary remote edits through", () => {
    const doc = docWith(paragraph("hello"));
    expect(
      remote(doc, (d) => {
        const f = d.getXmlFragment("default");
        ((f.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, " world", { italic: {} });
        f.insert(1, [paragraph("second")]);
      }),
    ).toBeNull();
    expect(remote(doc, (d) => d.getXmlFragment("default").delete(0, 1))).toBeNull();
  });

  it("stops an added unknown node, an unknown mark, and an attribute the schema refuses", () => {
    const fresh = () => {
      const image = new Y.XmlElement("image");
      image.setAttribute("src", "https://example.org/a.png");
      return docWith(paragraph("hello"), image);
    };
    expect(remote(fresh(), (d) => d.getXmlFragment("default").insert(2, [new Y.XmlElement("fancyWidget")]))).toMatch(/fancyWidget/);
    expect(
      remote(fresh(), (d) => ((d.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 2, { evil: {} })),
    ).toMatch(/mark/);
    expect(remote(fresh(), (d) => (d.getXmlFragment("default").get(1) as Y.XmlElement).setAttribute("width", "huge"))).toMatch(/image/);
  });

  it("checks only what changed, not the whole document", () => {
    const blocks = Array.from({ length: 2_000 }, (_, i) => paragraph(`paragraph ${i} `.padEnd(50, "x")));
    const doc = docWith(...blocks); // ~100,000 characters
    const toDelta = vi.spyOn(Y.XmlText.prototype, "toDelta");
    expect(remote(doc, (d) => ((d.getXmlFragment("default").get(1_000) as Y.XmlElement).get(0) as Y.XmlText).insert(3, "!"))).toBeNull();
    expect(toDelta).toHaveBeenCalledTimes(1);
  });
});
