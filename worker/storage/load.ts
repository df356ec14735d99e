/**
 * Loading a document into the room's Y.Doc, and what happens when that goes wrong.
 * A document that cannot be loaded whole must still be usable by its owner (export,
 * restore an earlier version, delete), and storage must never be written by a failed
 * load. Three outcomes:
 *  - whole: snapshot + log loaded; read-only if it is over MAX_DOCUMENT_BYTES (it grew
 *    past the limit before the limit covered everything), so it stops growing;
 *  - damaged: the stored snapshot or log would not load; the room shows the best it
 *    can rebuild (the newest R2 snapshot that loads, then every stored row that still
 *    applies), read-only, until someone restores a version, which repairs the storage
 *    (store.replaceAll, keeping the old rows in quarantine);
 *  - failed: not even that; sockets are closed with 4500 and a reason, and only the
 *    routes that need no content (delete, versions, restore) answer.
 */
import * as Y from "yjs";
import { MAX_DOCUMENT_BYTES } from "../../shared/limits";
import { errorMessage, log } from "../lib/log";
import { isPoisoned } from "../lib/yjs";
import type { DocStore } from "./store";

import type { ReadOnlyReason } from "../../shared/protocol";

export type { ReadOnlyReason };

export type LoadOutcome =
  | { kind: "whole"; readOnly: ReadOnlyReason | null }
  | { kind: "damaged"; readOnly: "damaged"; skippedRows: number; fromR2: boolean }
  | { kind: "failed"; error: string };

/** What the people in a read-only document are told. */
export const READ_ONLY_MESSAGES: Record<ReadOnlyReason, string> = {
  "too-large":
    "This document is over its size limit, so it is read-only. Its owner can export it, restore an earlier version or delete it.",
  damaged:
    "Part of this document's storage is damaged, so it is read-only and shows what could be recovered. Restoring a version repairs it; nothing on disk was deleted.",
};

export interface LoadDeps {
  doc: Y.Doc;
  store: DocStore;
  docId: string;
  /** The newest R2 snapshot that loads (V2 state), if any. */
  newestR2State(): Promise<Uint8Array | null>;
}

export async function loadDocument(d: LoadDeps): Promise<LoadOutcome> {
  let firstError: string;
  try {
    const { pending } = await d.store.loadInto(d.doc);
    if (pending) dropPending(d.doc, d.docId);
    if (isPoisoned(d.doc)) throw new Error("loading left Yjs with an unfinished transaction");
    return { kind: "whole", readOnly: d.store.storedBytes() > MAX_DOCUMENT_BYTES ? "too-large" : null };
  } catch (err) {
    firstError = errorMessage(err);
    log("error", "load-damaged", { doc: d.docId, error: firstError });
  }
  // A failed load usually stopped before touching the document (a snapshot that does
  // not inflate or decode), or part-way through applying rows; either way what is in
  // it is real content, and what follows is applied on top (Yjs ignores duplicates).
  if (isPoisoned(d.doc)) return { kind: "failed", error: firstError };
  let fromR2 = false;
  try {
    const r2 = await d.newestR2State();
    if (r2) {
      Y.applyUpdateV2(d.doc, r2);
      fromR2 = true;
    }
  } catch (err) {
    log("warn", "load-r2-fallback-failed", { doc: d.docId, error: errorMessage(err) });
  }
  let skippedRows = 0;
  try {
    for (const u of d.store.logUpdates()) {
      try {
        Y.applyUpdate(d.doc, u.bytes);
      } catch {
        skippedRows += u.rows;
      }
      if (isPoisoned(d.doc)) return { kind: "failed", error: firstError };
    }
  } catch (err) {
    log("warn", "load-log-unreadable", { doc: d.docId, error: errorMessage(err) });
  }
  dropPending(d.doc, d.docId);
  if (isPoisoned(d.doc)) return { kind: "failed", error: firstError };
  d.store.resync();
  log("warn", "load-read-only", { doc: d.docId, reason: "damaged", skippedRows, fromR2 });
  return { kind: "damaged", readOnly: "damaged", skippedRows, fromR2 };
}

/** Changes whose base is missing are never kept inside the live document (pending.ts). */
function dropPending(doc: Y.Doc, docId: string): void {
  if (doc.store.pendingStructs === null && doc.store.pendingDs === null) return;
  log("warn", "load-pending-dropped", { doc: docId });
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
}
