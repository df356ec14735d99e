/**
 * Everything the Document DO does for storage beyond the durable append: compaction,
 * versions (R2 snapshots + SQLite index), their alarms, recovery from R2, the history
 * and stats routes. The room (room/room.ts) calls in at a handful of lifecycle points.
 */
import type * as Y from "yjs";
import type { Role } from "../../shared/protocol";
import { MAX_DOCUMENT_BYTES } from "../../shared/limits";
import type { LinkKind } from "../../shared/sharing";
import { errorMessage, log } from "../lib/log";
import { decodeSnapshot } from "./codec";
import { Epoch } from "./epoch";
import { rebuildStorage, type Rebuilt } from "./rebuild";
import { SnapshotBucket, type DocMetaObject, type ThreadsCopy } from "./r2";
import { installRecovered, readRecovery } from "./r2-recovery";
import { VersionIndex } from "./version-index";
import { Compactor, type Compacted } from "./compactor";
import { DocStore } from "./store";
import { titleOf } from "../content/title";
import { UpdateRate } from "../lib/update-rate";
import { VersionAlarms } from "./version-alarms";
import { Versions } from "./versions";

export interface HistoryDeps {
  storage: DurableObjectStorage;
  bucket: R2Bucket;
  store: DocStore;
  doc(): Y.Doc;
  docId(): string;
  /** What docs/<id>/meta.json says for an existing document. */
  metaObject(): DocMetaObject;
  /** Applies queued client updates, so a restore lands on top of them. */
  flush(): void;
  /** Applies a version's content as one server change (the room decides how it is
   * stored: appended, or as a repair of damaged storage). */
  /** `by`: the role that restored (the restored text is recorded as theirs). */
  restore(version: Y.Doc, by: Role): void;
  /** Whether the loaded document is read-only, or failed to load at all. */
  health(): { readOnly: boolean; loadFailed: boolean };
  /** The comment threads, copied to R2 at the snapshot alarms and put back by a recovery. */
  threadsCopy(): ThreadsCopy;
  /** Which link a token opens (access/links.ts), for the history routes. */
  readonly links: { grantFor(token: string): Promise<{ kind: LinkKind; gen: number } | null> };
  /** Open connections now (the stats route). */
  openConnections(): number;
  /** Runs `work` with the room closed to changes and everyone cut, then reloads the
   * room from storage (a rebuild replaces the stored state under it). */
  whileRebuilding<T>(work: () => Promise<T>): Promise<T>;
}

export class DocHistory {
  private readonly index: VersionIndex;
  private readonly bucket: SnapshotBucket;
  private readonly versions: Versions;
  private readonly alarms: VersionAlarms;
  private readonly compactor: Compactor;
  private readonly updateRate = new UpdateRate();
  private recovering: Promise<boolean> | null = null;
  /** The snapshot folded when the room emptied, while it is still the stored state. */
  private foldedOnLeave: Compacted | null = null;
  private createdMeta: DocMetaObject | null = null;
  /** The document's epoch (epoch.ts): what clients' copies are checked against. */
  readonly epoch: Epoch;
  /** While a rebuild replaces the stored state, nothing else may fold or snapshot it. */
  private rebuilding = false;

  constructor(private readonly deps: HistoryDeps) {
    this.index = new VersionIndex(deps.storage.sql);
    this.bucket = new SnapshotBucket(deps.bucket, deps.docId());
    this.epoch = new Epoch(deps.store);
    this.versions = new Versions({
      store: deps.store,
      index: this.index,
      bucket: this.bucket,
      doc: () => deps.doc(),
      docId: () => deps.docId(),
      metaObject: () => deps.metaObject(),
      epoch: () => this.epoch.current(),
    });
    this.alarms = new VersionAlarms(deps.storage, this.versions, () => deps.docId());
    this.compactor = new Compactor(
      deps.store,
      () => deps.docId(),
      (c) => {
        // The compressed snapshot exists already: it becomes a version (and the R2
        // copy) when the minimum gap allows; otherwise the interval alarm covers it.
        this.versions.make("compaction", { from: c }).catch((err: unknown) => {
          log("warn", "version-failed", { doc: deps.docId(), error: errorMessage(err) });
        });
      },
    );
  }

  // ---------------------------------------------------------------- lifecycle

  migrate(): void {
    this.index.migrate();
  }

  /** After the document loaded (and before it is served). */
  async afterLoad(): Promise<void> {
    this.versions.init();
    await this.alarms.init();
  }

  /** Compacts in the background when the log is over its threshold. */
  compactIfDue(): void {
    if (!this.rebuilding) this.compactor.maybeStart(this.deps.doc());
  }

  /** The same, once the events already waiting (a connecting client's sync) have been
   * handled: capturing a big document takes tens of ms that must not delay the first
   * sync after a load. A single zero-delay timer, nothing that keeps the room awake. */
  compactSoon(): void {
    setTimeout(() => this.compactIfDue(), 0);
  }

  /** Every durable append. */
  noteEdit(): void {
    this.foldedOnLeave = null;
    this.alarms.noteEdit();
  }

  /** A batch of `updates` client updates is about to be applied, written by people
   * whose presence shows these display names. */
  noteBatch(updates: number, authors: Iterable<string>): void {
    this.updateRate.add(updates);
    for (const name of authors) this.versions.noteAuthor(name);
  }

  /** A long log is folded right away (FOLD_ON_LEAVE_LOG_ENTRIES), so the room's next
   * cold load applies one snapshot even if it is evicted before the idle alarm. The
   * alarm still makes the "idle" version, from these same bytes if nothing changed. */
  onLastLeave(): void {
    if (this.rebuilding) return;
    this.alarms.noteLastLeave();
    if (!this.deps.store.shouldFoldOnLeave()) return;
    void this.compactor.start(this.deps.doc()).then((c) => {
      // Kept only while it is the whole stored state (no edit appended since).
      if (c && this.deps.store.stats().logEntries === 0) this.foldedOnLeave = c;
    });
  }

  async onAlarm(connections: number): Promise<void> {
    if (this.rebuilding) return;
    try {
      // Fold what is left of the log first: a room that goes quiet then wakes from
      // its snapshot alone (the fastest load), and the version reuses the bytes.
      const compacted = this.deps.store.stats().logEntries > 0 ? await this.compactor.start(this.deps.doc()) : this.foldedOnLeave;
      this.foldedOnLeave = null;
      await this.alarms.onAlarm(connections, compacted);
      await this.copyThreads();
    } catch (err) {
      log("error", "alarm-failed", { doc: this.deps.docId(), error: errorMessage(err) });
    }
  }

  /** Threads changed (no Yjs edit needed): R2's copy follows at the next alarm, which
   * this makes sure exists, like an edit does. */
  threadsChanged(): void {
    this.alarms.noteEdit();
  }

  /** Writes the threads to R2 when they changed since the last copy. */
  private async copyThreads(): Promise<void> {
    const copy = this.deps.threadsCopy();
    const pending = copy?.pending();
    if (!copy || !pending) return;
    await this.bucket.putThreads(pending.json);
    copy.written(pending.seq);
  }

  /** Writes docs/<id>/meta.json for a new document; false if R2 refused. */
  async created(meta: DocMetaObject): Promise<boolean> {
    try {
      await this.bucket.putMeta(meta);
      this.createdMeta = meta;
      return true;
    } catch (err) {
      log("error", "create-r2-failed", { doc: this.deps.docId(), error: errorMessage(err) });
      return false;
    }
  }

  /** Call in the same synchronous block that commits a new document's meta rows. */
  markCreated(): void {
    if (this.createdMeta) this.versions.markMetaWritten(this.createdMeta);
  }

  /** Call after changing a token hash (rotating a link): R2's meta.json must follow,
   * or a recovery would bring the old link back. Versions also check it. */
  async tokensChanged(): Promise<boolean> {
    try {
      await this.versions.ensureMetaObject();
      return true;
    } catch (err) {
      log("error", "meta-r2-failed", { doc: this.deps.docId(), error: errorMessage(err) });
      return false;
    }
  }

  /** A DO whose SQLite is empty but whose document exists in R2 (wiped or migrated)
   * is rebuilt from there before anything else runs. Only ever writes to an empty DO. */
  recover(): Promise<boolean> {
    this.recovering ??= (async () => {
      try {
        const found = await readRecovery(this.bucket);
        if (!found) return false;
        const threads = await this.bucket.getThreads().catch((err: unknown) => {
          log("warn", "recovery-threads-unreadable", { doc: this.deps.docId(), error: errorMessage(err) });
          return null;
        });
        if (DocStore.exists(this.deps.storage)) return true; // created meanwhile
        installRecovered(this.deps.storage, this.deps.store, this.index, found, Date.now(), () => {
          if (threads !== null) this.deps.threadsCopy().install(threads);
        });
        this.epoch.invalidate();
        log("warn", "recovered-from-r2", {
          doc: this.deps.docId(),
          seq: found.snapshot.seq,
          versions: found.versions.length,
          corrupt: found.corrupt.length,
        });
        return true;
      } catch (err) {
        log("error", "recovery-failed", { doc: this.deps.docId(), error: errorMessage(err) });
        return false;
      } finally {
        this.recovering = null;
      }
    })();
    return this.recovering;
  }

  /** The newest R2 snapshot that loads, as Yjs V2 state: what a damaged document is
   * rebuilt from (load.ts). Null when R2 has none. */
  async newestR2State(): Promise<Uint8Array | null> {
    const found = await readRecovery(this.bucket);
    if (!found || found.snapshot.versionId === null) return null;
    return decodeSnapshot(found.snapshot.stored, found.snapshot.codec);
  }

  // ---------------------------------------------------------------- HTTP

  /** What the history routes (/versions…, /stats) need from storage. */
  routeHost() {
    const { store, links } = this.deps;
    return {
      docId: this.deps.docId(),
      versions: this.versions,
      store,
      grantFor: (token: string) => links.grantFor(token),
      applyRestore: (version: Y.Doc, by: Role) => this.applyRestore(version, by),
      rebuild: (version: Y.Doc) => this.deps.whileRebuilding(() => this.rebuild(version)),
      versionDeleted: () => {
        // Deleting the newest R2 copy leaves the live state without one: make another.
        if (this.versions.dirty) this.alarms.noteEdit();
      },
      health: () => this.deps.health(),
      titleOf,
      stats: () => {
        const s = store.stats();
        return {
          bytesStored: this.deps.storage.sql.databaseSize,
          logEntries: s.logEntries,
          connections: this.deps.openConnections(),
          updatesPerMinute: this.updateRate.perMinute(),
          lastCompactionMs: s.lastCompactionMs,
          lastLoadMs: s.loadMs,
          logBytes: s.logBytes,
          documentBytes: store.storedBytes(),
          snapshotStoredBytes: s.snapshotStoredBytes,
          maxDocumentBytes: MAX_DOCUMENT_BYTES,
        };
      },
    };
  }

  /** Restores through the API: queued updates first, so it applies on top of
   * everything received so far; appended and broadcast like any update. */
  private applyRestore(version: Y.Doc, by: Role): void {
    this.deps.flush();
    this.deps.restore(version, by);
  }

  /** "Rebuild from this version" (rebuild.ts), with folds, versions and alarms held off
   * while the stored state is replaced. */
  async rebuild(version: Y.Doc): Promise<Rebuilt> {
    this.rebuilding = true;
    try {
      const parts = {
        docId: this.deps.docId(),
        store: this.deps.store,
        versions: this.versions,
        compactor: this.compactor,
        epoch: this.epoch,
        versionLater: () => this.alarms.noteEdit(),
      };
      const done = await rebuildStorage(parts, version, titleOf(this.deps.doc()));
      this.foldedOnLeave = null;
      return done;
    } finally {
      this.rebuilding = false;
    }
  }

  /** Folds the log now (after a restore shrank a document that was over its limit). */
  compactNow(): Promise<Compacted | null> {
    return this.compactor.start(this.deps.doc());
  }

  /** For tests: resolves when no compaction is running. */
  compactionIdle(): Promise<void> {
    return this.compactor.idle();
  }
}
