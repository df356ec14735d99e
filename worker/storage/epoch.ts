/**
 * The document's epoch: 0 until the owner first rebuilds the document from a version,
 * then one more per rebuild. A rebuild starts a fresh CRDT (new Yjs client ids, no
 * tombstones), so a copy of the document from another epoch cannot be merged: a
 * client names its copy's epoch when it connects, and one from another epoch is
 * welcomed (so it learns the current one) and closed before anything is synced
 * (room/admit.ts, CloseCode.Rebuilt). Stored in the meta table; R2 snapshots carry it
 * too, so a document recovered from R2 keeps it (r2.ts, r2-recovery.ts).
 */
import { EPOCH_PARAM } from "../../shared/protocol";
import { MetaKey } from "./meta-keys";
import type { DocStore } from "./store";

/** Set by the gate from the client's query (the rest of which is dropped). */
export const EPOCH_HEADER = "x-quire-epoch";

export class Epoch {
  private cached: number | null = null;

  constructor(private readonly store: DocStore) {}

  current(): number {
    if (this.cached === null) {
      const raw = this.store.getMeta(MetaKey.Epoch);
      this.cached = typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0 ? raw : 0;
    }
    return this.cached;
  }

  /** Writes the next epoch (call inside the commit that replaces the state). */
  advance(): number {
    const next = this.current() + 1;
    this.store.setMeta(MetaKey.Epoch, next);
    this.cached = next;
    return next;
  }

  /** After storage was wiped or replaced from elsewhere (recovery). */
  invalidate(): void {
    this.cached = null;
  }
}

/** The epoch a connecting client's copy is from: its `epoch` parameter, 0 when absent
 * (copies made before rebuilding existed), null when malformed (treated as stale). */
export function clientEpoch(raw: string | null): number | null {
  if (raw === null || raw === "") return 0;
  if (!/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

export { EPOCH_PARAM };
