/** Yjs internals Quire has to look at, in one place. */
import * as Y from "yjs";

/** Yjs left a transaction it never cleaned up (an update broke it mid-way): from then
 * on no update event fires, so nothing would be stored or broadcast again. */
export function isPoisoned(doc: Y.Doc): boolean {
  return doc._transaction !== null || doc._transactionCleanups.length > 0;
}

/** The Yjs client ids whose clocks a finished transaction moved. */
export function advancedClients(tr: Y.Transaction): Set<number> {
  const out = new Set<number>();
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) out.add(client);
  return out;
}

/** Whether a finished transaction changed anything (the test Yjs uses before it emits
 * an update). */
export function changedAnything(tr: Y.Transaction): boolean {
  return tr.deleteSet.clients.size > 0 || advancedClients(tr).size > 0;
}

/**
 * Yjs' own V1 encoding of what the next transaction on `doc` changes. Yjs encodes a
 * transaction only for its "update" listeners (writeUpdateMessageFromTransaction is not
 * exported), so this attaches one until `stop()`. Only the rare changes whose bytes the
 * room does not already have use it: the server's own, and client updates that repeat
 * what the document holds (a SyncStep2 carries its sender's whole delete set).
 */
export class UpdateCapture {
  private bytes: Uint8Array | null = null;

  constructor(private readonly doc: Y.Doc) {
    doc.on("update", this.take);
  }

  private readonly take = (update: Uint8Array): void => {
    this.bytes = this.bytes === null ? update : Y.mergeUpdates([this.bytes, update]);
  };

  /** Detaches, and returns what the transaction changed (null: nothing). */
  stop(): Uint8Array | null {
    this.doc.off("update", this.take);
    return this.bytes;
  }
}
