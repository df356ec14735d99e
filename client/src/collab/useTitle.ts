import { useCallback, useEffect, useState } from "react";
import type * as Y from "yjs";
import { DEFAULT_TITLE, YDOC_META_MAP, YDOC_META_TITLE } from "../../../shared/api";
import { MAX_TITLE_CHARS } from "../../../shared/limits";

/** The shared document title, stored in the Y.Doc so everyone sees edits live. Any
 * peer can write any value there: anything but a string reads as no title (untitled),
 * never as an error. */
export function useTitle(doc: Y.Doc): [string, (t: string) => void] {
  const meta = doc.getMap<unknown>(YDOC_META_MAP);
  const read = () => titleValue(meta.get(YDOC_META_TITLE));
  const [title, setTitle] = useState(read);
  useEffect(() => {
    const onChange = () => setTitle(titleValue(meta.get(YDOC_META_TITLE)));
    meta.observe(onChange);
    onChange();
    return () => meta.unobserve(onChange);
  }, [meta]);
  const update = useCallback((next: string) => meta.set(YDOC_META_TITLE, next.replace(/\s+/g, " ").slice(0, MAX_TITLE_CHARS)), [meta]);
  return [title, update];
}

export const titleValue = (v: unknown): string => (typeof v === "string" ? v : "");

export const displayTitle = (t: unknown): string => {
  const s = titleValue(t).trim();
  return s === "" ? DEFAULT_TITLE : s;
};
