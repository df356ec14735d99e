import { useCallback, useEffect, useState } from "react";
import type * as Y from "yjs";
import { DEFAULT_TITLE, YDOC_META_MAP, YDOC_META_TITLE } from "../../../shared/api";
import { MAX_TITLE_CHARS } from "../../../shared/limits";

/** The shared document title, stored in the Y.Doc so everyone sees edits live. */
export function useTitle(doc: Y.Doc): [string, (t: string) => void] {
  const meta = doc.getMap<string>(YDOC_META_MAP);
  const read = () => meta.get(YDOC_META_TITLE) ?? "";
  const [title, setTitle] = useState(read);
  useEffect(() => {
    const onChange = () => setTitle(read());
    meta.observe(onChange);
    onChange();
    return () => meta.unobserve(onChange);
  }, [meta]); // eslint-disable-line react-hooks/exhaustive-deps
  const update = useCallback(
    (next: string) => meta.set(YDOC_META_TITLE, next.replace(/\s+/g, " ").slice(0, MAX_TITLE_CHARS)),
    [meta],
  );
  return [title, update];
}

export const displayTitle = (t: string) => (t.trim() === "" ? DEFAULT_TITLE : t.trim());
