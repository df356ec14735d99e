/**
 * A fresh document state from a version's content: a new Y.Doc (one new Yjs client id,
 * no history, no tombstones, none of the old client ids), the content copied through
 * the editor schema (so comment anchors, suggestion marks and images come along as the
 * editor knows them, and anything it cannot show becomes what it can, as in a restore),
 * and the title given (a rebuild, like a restore, keeps the current title).
 */
import { prosemirrorToYXmlFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD, YDOC_META_MAP, YDOC_META_TITLE } from "../../shared/api";
import { fragmentToDoc } from "../../shared/content";
import { editorSchema } from "../../shared/schema";

/** The rebuilt state (Yjs V2 update of a fresh document). */
export function freshState(version: Y.Doc, title: string): Uint8Array {
  const node = fragmentToDoc(version.getXmlFragment(YDOC_CONTENT_FIELD), editorSchema());
  node.check();
  const fresh = new Y.Doc({ gc: true });
  fresh.transact(() => {
    prosemirrorToYXmlFragment(node, fresh.getXmlFragment(YDOC_CONTENT_FIELD));
    fresh.getMap(YDOC_META_MAP).set(YDOC_META_TITLE, title);
  });
  const state = Y.encodeStateAsUpdateV2(fresh);
  fresh.destroy();
  return state;
}
