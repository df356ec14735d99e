/** Yjs internals Quire has to look at, in one place. */
import type * as Y from "yjs";

/** Yjs left a transaction it never cleaned up (an update broke it mid-way): from then
 * on no update event fires, so nothing would be stored or broadcast again. */
export function isPoisoned(doc: Y.Doc): boolean {
  return doc._transaction !== null || doc._transactionCleanups.length > 0;
}
