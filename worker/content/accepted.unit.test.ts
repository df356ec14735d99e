/** Exports and AI input read the document with its pending suggestions not taken (only
 * accepted content counts) and carry no review marks or records; `include` shows them. */
import type { JSONContent } from "@tiptap/core";
import { initProseMirrorDoc, updateYFragment } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { editorSchema } from "../../shared/schema";
import { acceptedJson, docToJson, exportDoc, jsonToText } from "./export";
import { exportInPieces, readPieces } from "./export-pieces";

const who = { author: "Sam", at: 1 };
const rec = (r: object) => JSON.stringify({ ...who, ...r });

function docWith(): Y.Doc {
  const doc = new Y.Doc();
  const p = new Y.XmlElement("paragraph");
  doc.getXmlFragment(YDOC_CONTENT_FIELD).insert(0, [p]);
  const t = new Y.XmlText();
  p.insert(0, [t]);
  t.insert(0, "keep ");
  t.insert(5, "added ", { insertion: { id: "1-1", author: "Sam", at: 1, command: null, model: null } });
  t.insert(11, "gone ", { deletion: { id: "1-2", author: "Sam", at: 2, command: null, model: null } });
  t.insert(16, "noted", { comment: { threadId: "AbCdEfGh1234" } });
  return doc;
}

/** A Y.Doc holding `json` as the editor would write it. */
function yDocOf(json: JSONContent): Y.Doc {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(YDOC_CONTENT_FIELD);
  const { meta } = initProseMirrorDoc(fragment, editorSchema());
  updateYFragment(doc, fragment, editorSchema().nodeFromJSON(json), meta);
  return doc;
}

const text = (t: string, marks?: JSONContent["marks"]): JSONContent => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const para = (content: JSONContent[], attrs?: object): JSONContent => ({ type: "paragraph", ...(attrs ? { attrs } : {}), content });

/** Every kind of suggestion: a heading that was a paragraph, bold suggested on a word,
 * Enter in the middle of a paragraph, a table inserted. */
const structural: JSONContent = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2, suggestFrom: rec({ id: "3-1", type: "paragraph", attrs: {} }) }, content: [text("Title")] },
    para([
      text("a "),
      text("bold", [{ type: "bold" }, { type: "formatting", attrs: { id: "3-2", ...who, before: "[]" } }]),
      text(" word, then"),
    ]),
    para([text("split here")], { suggestBreak: rec({ id: "3-3", op: "split" }) }),
    {
      type: "table",
      attrs: { suggestNode: rec({ id: "3-4", op: "insert" }) },
      content: [{ type: "tableRow", content: [{ type: "tableCell", content: [para([text("cell")])] }] }],
    },
    para([text("last")]),
  ],
};

describe("exports and suggestions", () => {
  it("leave suggested insertions out and suggested deletions in, without any review mark", () => {
    const doc = docWith();
    expect(jsonToText(docToJson(doc))).toBe("keep gone noted");
    const html = exportDoc(doc, "html", "t").body;
    expect(html).toContain("keep gone noted");
    expect(html).not.toMatch(/<ins|<del|data-thread-id|data-id/);
    expect(exportDoc(doc, "md", "t").body.trim()).toBe("keep gone noted");
  });

  it("include every suggested text on request", () => {
    expect(jsonToText(docToJson(docWith(), "include"))).toBe("keep added gone noted");
  });

  it("show formatting, block types, paragraph breaks and inserted tables as they were before the suggestions", () => {
    const doc = yDocOf(structural);
    expect(exportDoc(doc, "md", "t").body.trim()).toBe("Title\n\na bold word, thensplit here\n\nlast");
    const html = exportDoc(doc, "html", "t").body;
    expect(html).not.toMatch(/<table|<h2|<strong|data-suggest|suggestion/);
    // AI input reads the same.
    expect(jsonToText(acceptedJson(structural))).toBe("Title\n\na bold word, thensplit here\n\nlast");
  });

  it("with suggestions included, show them as suggested, without their records", () => {
    const doc = yDocOf(structural);
    const json = docToJson(doc, "include");
    expect(JSON.stringify(json)).not.toMatch(/suggest|formatting/);
    const md = jsonToText(json);
    expect(md).toContain("cell");
    expect(json.content?.[0]?.type).toBe("heading");
  });

  it("read a piece at a time, join a suggested paragraph break as in one go", async () => {
    const doc = yDocOf(structural);
    // Pieces of one block: the split paragraph never starts a piece of its own.
    const out = await exportInPieces(
      readPieces(doc, "accepted", async () => {}, 1),
      "md",
      "t",
    );
    expect(out.body.trim()).toBe("Title\n\na bold word, thensplit here\n\nlast");
  });
});
