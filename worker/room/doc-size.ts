/**
 * The document's size as MAX_DOCUMENT_BYTES counts it. What is stored (snapshot + log)
 * is a cheap upper bound, but the log keeps every update until it is folded, also
 * those a later deletion undid: a 400 KB paste and its undo add 400 KB to the log and
 * almost nothing to the state. Near the limit the live state is therefore measured
 * (encoded once, a few milliseconds at the limit) and the log appended since is added,
 * so a writer is refused for what the document holds, never for its churn.
 */
import * as Y from "yjs";
import { MAX_DOCUMENT_BYTES } from "../../shared/limits";
import type { DocStore } from "../storage/store";

export class DocumentSize {
  /** The live state's encoded size when the store held `storedAt` bytes. */
  private measured: { storedAt: number; bytes: number } | null = null;

  constructor(
    private readonly doc: () => Y.Doc,
    private readonly store: DocStore,
  ) {}

  /** The document's bytes, exact enough to decide whether `extra` more fit. */
  bytes(extra: number): number {
    const stored = this.store.storedBytes();
    const m = this.measured;
    // Since the measurement the store only grew by appends (a compaction lowers it).
    const estimate = m && stored >= m.storedAt ? Math.min(stored, m.bytes + stored - m.storedAt) : stored;
    if (estimate + extra <= MAX_DOCUMENT_BYTES || m?.storedAt === stored) return estimate;
    const bytes = Y.encodeStateAsUpdate(this.doc()).byteLength;
    this.measured = { storedAt: stored, bytes };
    return bytes;
  }
}
