/**
 * Thread anchors in the Y.Doc. y-prosemirror keeps a text's marks as formatting
 * attributes of its Y.XmlText, keyed by mark name with the mark's attrs as value, so
 * the comment mark of thread T is the attribute `comment: { threadId: T }`. The server
 * sets it with `XmlText.format` (for commenters, who cannot write Yjs) and reads it
 * back to tell what text a thread is on now.
 */
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { COMMENT_MARK } from "../../shared/comments";

interface Op {
  insert: unknown;
  attributes?: Record<string, unknown>;
}

/** Every XmlText of the content, in document order (no recursion: deep lists exist). */
function texts(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const stack: unknown[] = [...doc.getXmlFragment(YDOC_CONTENT_FIELD).toArray()].reverse();
  while (stack.length > 0) {
    const t = stack.pop();
    if (t instanceof Y.XmlText) out.push(t);
    else if (t instanceof Y.XmlElement) stack.push(...[...t.toArray()].reverse());
  }
  return out;
}

const plain = (ops: Op[]): string => ops.map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");

export function threadOf(attributes: Record<string, unknown> | undefined): string | null {
  const value = attributes?.[COMMENT_MARK] as { threadId?: unknown } | undefined;
  return typeof value?.threadId === "string" ? value.threadId : null;
}

/** Where occurrence `nth` (0 = the first) of `quote` lies inside one text of the
 * document, or null. Occurrences may overlap ("aa" occurs twice in "aaa"). */
export function findQuote(doc: Y.Doc, quote: string, nth = 0): { text: Y.XmlText; index: number } | null {
  let seen = 0;
  for (const text of texts(doc)) {
    const s = plain(text.toDelta() as Op[]);
    for (let index = s.indexOf(quote); index >= 0; index = s.indexOf(quote, index + 1)) {
      if (seen++ === nth) return { text, index };
    }
  }
  return null;
}

/** Puts thread `threadId`'s mark on `length` characters of `text` from `index`. Call
 * inside the server's transaction. */
export function markAnchor(text: Y.XmlText, index: number, length: number, threadId: string): void {
  text.format(index, length, { [COMMENT_MARK]: { threadId } });
}

/** The text each thread's mark covers now, in document order (pieces joined with a
 * space when the anchor was split across paragraphs). Threads without one are absent. */
export function anchoredQuotes(doc: Y.Doc): Map<string, string> {
  const parts = new Map<string, string[]>();
  for (const text of texts(doc)) {
    let last: string | null = null;
    for (const op of text.toDelta() as Op[]) {
      const id = threadOf(op.attributes);
      if (id === null || typeof op.insert !== "string") {
        last = null;
        continue;
      }
      const list = parts.get(id) ?? [];
      if (last === id && list.length > 0) list[list.length - 1] += op.insert;
      else list.push(op.insert);
      parts.set(id, list);
      last = id;
    }
  }
  return new Map([...parts].map(([id, list]) => [id, list.join(" ")]));
}

/** Takes thread `threadId`'s mark off every text it covers (the thread was deleted).
 * Call inside the server's transaction. Returns how many pieces it unmarked. */
export function removeAnchor(doc: Y.Doc, threadId: string): number {
  let pieces = 0;
  for (const text of texts(doc)) {
    const ranges: [number, number][] = [];
    let at = 0;
    for (const op of text.toDelta() as Op[]) {
      const length = typeof op.insert === "string" ? op.insert.length : 1;
      if (threadOf(op.attributes) === threadId) ranges.push([at, length]);
      at += length;
    }
    for (const [index, length] of ranges) text.format(index, length, { [COMMENT_MARK]: null });
    pieces += ranges.length;
  }
  return pieces;
}
