import type * as Y from "yjs";
import { DEFAULT_TITLE, YDOC_META_MAP, YDOC_META_TITLE } from "../../shared/api";
import { wellFormed } from "../../shared/text";

/** A document's title as shown and exported (the default when unset or blank), always
 * well-formed: a title stored before titles were checked may hold half an emoji. */
export function titleOf(doc: Y.Doc): string {
  const t = doc.getMap(YDOC_META_MAP).get(YDOC_META_TITLE);
  return typeof t === "string" && t.trim() !== "" ? wellFormed(t) : DEFAULT_TITLE;
}
