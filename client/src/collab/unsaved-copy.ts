/**
 * What this browser had not sent when the owner rebuilt the document (collab/epoch.ts),
 * or when the server refused its change as too large for the document (session.ts):
 * a copy of its document as it was, kept until the person discards it, to offer back
 * (history/UnsavedCopy.tsx). Loaded only when there is one.
 */
import type { JSONContent } from "@tiptap/core";
import { YDOC_CONTENT_FIELD, YDOC_META_MAP, YDOC_META_TITLE } from "../../../shared/api";
import { fragmentToJson } from "../../../shared/content";
import { editorSchema } from "../../../shared/schema";
import type * as Y from "yjs";
import { heldCopies, heldWhy, UNSAVED_COPY_EVENT, type UnsavedWhy, unsavedCopyKey, unsavedWhyKey } from "./epoch";

/** Keeps `doc`'s content and title as the copy to offer back. */
export function keepCopyOf(id: string, doc: Y.Doc, why: UnsavedWhy = "rebuilt"): void {
  heldWhy.set(id, why);
  try {
    localStorage.setItem(unsavedWhyKey(id), why);
  } catch {
    /* this page still knows */
  }
  const title = doc.getMap(YDOC_META_MAP).get(YDOC_META_TITLE);
  keepUnsavedCopy(id, {
    title: typeof title === "string" ? title : "",
    content: fragmentToJson(doc.getXmlFragment(YDOC_CONTENT_FIELD), editorSchema()),
    savedAt: Date.now(),
  });
}

export interface UnsavedCopy {
  title: string;
  /** ProseMirror JSON of this browser's copy as it was when the rebuild was noticed. */
  content: JSONContent;
  savedAt: number;
}

/** Kept in memory too: a copy too large for localStorage still survives this page. */
const inMemory = new Map<string, UnsavedCopy>();

export function keepUnsavedCopy(id: string, copy: UnsavedCopy): void {
  inMemory.set(id, copy);
  heldCopies.add(id);
  try {
    localStorage.setItem(unsavedCopyKey(id), JSON.stringify(copy));
  } catch {
    /* too large or disabled: this page still has it */
  }
  window.dispatchEvent(new CustomEvent(UNSAVED_COPY_EVENT, { detail: id }));
}

export function unsavedCopy(id: string): UnsavedCopy | null {
  const held = inMemory.get(id);
  if (held) return held;
  try {
    const raw = localStorage.getItem(unsavedCopyKey(id));
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<UnsavedCopy>;
    if (typeof value.title !== "string" || typeof value.content !== "object" || value.content === null) return null;
    return { title: value.title, content: value.content, savedAt: Number(value.savedAt) || 0 };
  } catch {
    return null;
  }
}

export function dismissUnsavedCopy(id: string): void {
  inMemory.delete(id);
  heldCopies.delete(id);
  heldWhy.delete(id);
  try {
    localStorage.removeItem(unsavedCopyKey(id));
    localStorage.removeItem(unsavedWhyKey(id));
  } catch {
    /* nothing stored */
  }
  window.dispatchEvent(new CustomEvent(UNSAVED_COPY_EVENT, { detail: id }));
}
