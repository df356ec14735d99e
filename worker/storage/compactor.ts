/**
 * Folds the update log into a new snapshot once it passes COMPACT_LOG_ENTRIES or
 * COMPACT_LOG_BYTES, so a cold load replays little and storage stays bounded.
 *
 * Compression is asynchronous but the fold must stay exact, so it runs in three steps:
 *   1. capture, synchronously: the state at log id L (the live doc holds exactly
 *      snapshot + log, every update being appended in the event that applies it);
 *   2. compress, asynchronously: new updates may be appended meanwhile, with ids > L;
 *   3. commit, in one transaction: the new snapshot, and deletion of rows <= L only.
 * A crash before 3 leaves the old snapshot and the whole log; after 3, the new pair.
 * Only one compaction runs at a time.
 */
import type * as Y from "yjs";
import { MAX_DOCUMENT_BYTES } from "../../shared/limits";
import { CODEC_V2_GZIP, encodeSnapshot } from "./codec";
import { errorMessage, log } from "../lib/log";
import type { DocStore } from "./store";

/** A finished compaction, handed on so the same compressed bytes can go to R2. */
export interface Compacted {
  upto: number;
  rawBytes: number;
  stored: Uint8Array;
  ms: number;
}

export class Compactor {
  private running: Promise<Compacted | null> | null = null;

  constructor(
    private readonly store: DocStore,
    private readonly docId: () => string,
    private readonly onCompacted: (c: Compacted) => void = () => {},
  ) {}

  /** Starts a compaction if the log is over its threshold and none is running, and
   * hands the result to `onCompacted`. */
  maybeStart(doc: Y.Doc): void {
    if (this.running || !this.store.shouldCompact()) return;
    void this.start(doc).then((c) => {
      if (c) this.onCompacted(c);
    });
  }

  /** Compacts now (unless one is already running, which is awaited instead). */
  start(doc: Y.Doc): Promise<Compacted | null> {
    if (this.running) return this.running;
    this.running = this.run(doc).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Resolves when no compaction is in flight (tests, and shutdown paths). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async run(doc: Y.Doc): Promise<Compacted | null> {
    const started = Date.now();
    try {
      const { upto, state } = this.store.capture(doc);
      if (state.byteLength > MAX_DOCUMENT_BYTES) {
        // A snapshot this big might not load again (MAX_SNAPSHOT_INFLATED_BYTES); the
        // rows it would replace stay as they are, and the document stays read-only.
        log("error", "compaction-refused", { doc: this.docId(), rawBytes: state.byteLength });
        return null;
      }
      const stored = await encodeSnapshot(state, CODEC_V2_GZIP);
      // Capture + compression; the commit itself is one synchronous transaction.
      const ms = Date.now() - started;
      this.store.commitSnapshot({ upto, rawBytes: state.byteLength, stored, codec: CODEC_V2_GZIP, ms });
      log("info", "compacted", { doc: this.docId(), upto, rawBytes: state.byteLength, storedBytes: stored.byteLength, ms });
      return { upto, rawBytes: state.byteLength, stored, ms };
    } catch (err) {
      // Nothing was committed: the old snapshot and the full log are still there.
      log("error", "compaction-failed", { doc: this.docId(), error: errorMessage(err) });
      return null;
    }
  }
}
