/**
 * An accepted AI answer is written under a Yjs client id of its own, which the client
 * then claims for the answer (`ai-outcome` with `clientId`). The server grants the AI
 * authorship of that id only if everything written with it is in the text it generated
 * (docs/AUTHORSHIP.md); the person's own id goes on being theirs. The write is one
 * ProseMirror transaction, which y-prosemirror turns into one Yjs transaction within
 * the dispatch, so only the answer is created under the borrowed id.
 */
import type * as Y from "yjs";
import { freshClientId } from "../../../shared/ids";

export function writeUnderOwnId<T>(doc: Y.Doc, write: () => T): { result: T; clientId: number | null } {
  const own = doc.clientID;
  const id = freshClientId(doc);
  doc.clientID = id;
  let result: T;
  try {
    result = write();
  } finally {
    doc.clientID = own;
  }
  return { result, clientId: doc.store.clients.has(id) ? id : null };
}
