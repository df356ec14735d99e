/**
 * Reads what a request is about from the Durable Object's own Y.Doc. The client
 * says only where (Yjs relative positions); what the text is, is decided here, so a
 * client cannot put words in the document's mouth, and a selection edited by someone
 * else in the meantime is read as it is now.
 */
import type { MarkdownManager } from "@tiptap/markdown";
import type { Schema } from "@tiptap/pm/model";
import type * as Y from "yjs";
import type { RelativePositionJSON } from "../../shared/ai";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { AI_CONTINUE_CONTEXT_CHARS, AI_MAX_SELECTION_CHARS } from "../../shared/limits";
import { markdownWriter } from "../../shared/markdown";
import { editorSchema } from "../../shared/schema";
import { fragmentToDoc } from "../../shared/content";
import { acceptedJson } from "../content/export";
import { toPmPosition } from "./ydoc-reader";

export type Resolved = { ok: true; markdown: string; chars: number } | { ok: false; message: string };

function tools(): { schema: Schema; markdown: MarkdownManager } {
  return { schema: editorSchema(), markdown: markdownWriter() };
}

/** Resolves both ends against the current document, in document order. */
function resolveRange(ydoc: Y.Doc, range: { from: RelativePositionJSON; to: RelativePositionJSON }) {
  const { schema: s } = tools();
  const fragment = ydoc.getXmlFragment(YDOC_CONTENT_FIELD);
  const doc = fragmentToDoc(fragment, s);
  const abs = (json: RelativePositionJSON): number | null => {
    const pos = toPmPosition(ydoc, fragment, json, s);
    return pos === null ? null : Math.max(0, Math.min(pos, doc.content.size));
  };
  const a = abs(range.from);
  const b = abs(range.to);
  if (a === null || b === null) return null;
  return { doc, from: Math.min(a, b), to: Math.max(a, b) };
}

/** The selected content as Markdown (so the model sees headings, lists, emphasis). */
export function readSelection(ydoc: Y.Doc, range: { from: RelativePositionJSON; to: RelativePositionJSON }): Resolved {
  const r = resolveRange(ydoc, range);
  if (!r) return { ok: false, message: "The selected text is no longer in the document." };
  const text = r.doc.textBetween(r.from, r.to, "\n\n", " ");
  if (text.trim() === "") return { ok: false, message: "Select some text first." };
  if (text.length > AI_MAX_SELECTION_CHARS) {
    return {
      ok: false,
      message: `Select at most ${AI_MAX_SELECTION_CHARS.toLocaleString("en")} characters (this selection has ${text.length.toLocaleString("en")}).`,
    };
  }
  const slice = r.doc.slice(r.from, r.to);
  // The model reads the text as accepted: suggested insertions out, deletions in.
  const md = tools().markdown.serialize(acceptedJson({ type: "doc", content: slice.content.toJSON() as [] }));
  return { ok: true, markdown: md.trim() || text, chars: text.length };
}

/** For Continue writing: the text before the caret, as much as the limit allows. */
export function readContextBefore(ydoc: Y.Doc, caret: RelativePositionJSON): Resolved {
  const r = resolveRange(ydoc, { from: caret, to: caret });
  if (!r) return { ok: false, message: "The caret's position is no longer in the document." };
  const before = r.doc.textBetween(0, r.to, "\n\n", " ");
  if (before.trim() === "")
    return { ok: false, message: "Write something first: Continue writing picks up from the text before the caret." };
  const context = before.slice(-AI_CONTINUE_CONTEXT_CHARS);
  return { ok: true, markdown: context, chars: context.length };
}
