import { getSchema } from "@tiptap/core";
import { absolutePositionToRelativePosition, initProseMirrorDoc, prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { RelativePositionJSON } from "../../shared/ai";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { AI_MAX_SELECTION_CHARS } from "../../shared/limits";
import { schemaExtensions } from "../../shared/schema";
import { readContextBefore, readSelection } from "./selection";

const schema = getSchema(schemaExtensions());

function docWith(paragraphs: unknown[]): Y.Doc {
  const ydoc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(schema, { type: "doc", content: paragraphs }, ydoc.getXmlFragment(YDOC_CONTENT_FIELD));
  return ydoc;
}
const p = (...content: unknown[]) => ({ type: "paragraph", content });
const t = (text: string, marks?: unknown[]) => ({ type: "text", text, ...(marks ? { marks } : {}) });

/** What a browser sends: relative positions of ProseMirror positions. */
function rel(ydoc: Y.Doc, pos: number): RelativePositionJSON {
  const fragment = ydoc.getXmlFragment(YDOC_CONTENT_FIELD);
  const { mapping } = initProseMirrorDoc(fragment, schema);
  return Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, fragment, mapping)) as RelativePositionJSON;
}

describe("readSelection", () => {
  it("reads the selected range from the Y.Doc as Markdown", () => {
    const ydoc = docWith([p(t("Hello "), t("bold", [{ type: "bold" }]), t(" world")), p(t("Second line"))]);
    // "Hello bold world" spans 1..17; select "bold world" + the whole second paragraph.
    const r = readSelection(ydoc, { from: rel(ydoc, 7), to: rel(ydoc, 30) });
    expect(r).toEqual({ ok: true, markdown: "**bold** world\n\nSecond line", chars: "bold world\n\nSecond line".length });
  });

  it("follows the range through other people's edits", () => {
    const ydoc = docWith([p(t("alpha beta gamma"))]);
    const range = { from: rel(ydoc, 7), to: rel(ydoc, 11) }; // "beta"
    const text = (ydoc.getXmlFragment(YDOC_CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, "NEW "); // before the range: the range moves, it does not change
    text.insert(12, "++"); // inside the range ("NEW alpha be|ta")
    expect(readSelection(ydoc, range)).toMatchObject({ ok: true, markdown: "be++ta" });
  });

  it("refuses an empty and an overlong selection with a message", () => {
    const ydoc = docWith([p(t("x".repeat(AI_MAX_SELECTION_CHARS + 5)))]);
    expect(readSelection(ydoc, { from: rel(ydoc, 3), to: rel(ydoc, 3) })).toMatchObject({ ok: false });
    const long = readSelection(ydoc, { from: rel(ydoc, 1), to: rel(ydoc, AI_MAX_SELECTION_CHARS + 6) });
    expect(long).toMatchObject({ ok: false });
    if (!long.ok) expect(long.message).toMatch(/at most 12,000 characters/);
  });

  it("gives Continue writing the text before the caret", () => {
    const ydoc = docWith([p(t("First.")), p(t("Second, unfinished"))]);
    const caret = rel(ydoc, 18); // after "Second, u"
    expect(readContextBefore(ydoc, caret)).toMatchObject({ ok: true, markdown: "First.\n\nSecond, u" });
  });
});

describe("reading odd stored content", () => {
  it("reads a selection before a blockquote nested 20,000 deep and an unknown element", () => {
    const ydoc = docWith([p(t("Read me")), p(t("tail"))]);
    const range = { from: rel(ydoc, 1), to: rel(ydoc, 8) }; // "Read me"
    const caret = rel(ydoc, 8);
    const fragment = ydoc.getXmlFragment(YDOC_CONTENT_FIELD);
    ydoc.transact(() => {
      let cur = new Y.XmlElement("blockquote");
      fragment.insert(fragment.length, [cur, new Y.XmlElement("unknownWidget")]);
      for (let i = 0; i < 20_000; i++) {
        const next = new Y.XmlElement("blockquote");
        cur.insert(0, [next]);
        cur = next;
      }
    });
    expect(readSelection(ydoc, range)).toMatchObject({ ok: true, markdown: "Read me" });
    expect(readContextBefore(ydoc, caret)).toMatchObject({ ok: true, markdown: "Read me" });
  });
});
