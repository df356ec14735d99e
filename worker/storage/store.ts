/**
 * The document's durable storage in the Durable Object's SQLite:
 *
 *   snapshot(seq, data)   the folded state: Yjs V2, gzip, split into STORAGE_CHUNK_BYTES chunks
 *   updates(id, data, more) every accepted update after the snapshot, Yjs V1, one update per
 *                         commit; an update larger than MAX_STORED_ROW_BYTES spans several
 *                         rows, all but the last with more = 1 (Cloudflare refuses rows over
 *                         2 MB). `id` is the document's update sequence number, never goes back
 *   meta(key, value)      created_at, token hashes, snapshot_codec, snapshot_upto, ...
 *
 * Loading = snapshot + the rows after it, in id order. Every update is appended in the
 * same event that applies it, so the DO output gate holds the broadcast until it is on
 * disk. Compaction (see compactor.ts) captures the state at log id L synchronously,
 * compresses it while new rows may arrive, then replaces the snapshot and deletes only
 * rows <= L in one transaction: a crash at any point leaves a loadable pair.
 */
import * as Y from "yjs";
import {
  COMPACT_LOG_BYTES,
  COMPACT_LOG_ENTRIES,
  FOLD_ON_LEAVE_LOG_ENTRIES,
  MAX_STORED_ROW_BYTES,
  STORAGE_CHUNK_BYTES,
} from "../../shared/limits";
import { CODEC_V2, chunk, concat, decodeSnapshot, isCodec, toBytes, type Codec } from "./codec";
import { MetaKey } from "./meta-keys";
import { tableExists } from "./sqlite";

export interface StoreStats {
  logEntries: number;
  logBytes: number;
  snapshotBytes: number;
  snapshotStoredBytes: number;
  lastCompactionMs: number | null;
  loadMs: number | null;
}

/** What a compaction captured: the full state as of log id `upto`. */
export interface Capture {
  upto: number;
  state: Uint8Array;
}

const META_CODEC = MetaKey.SnapshotCodec;
const META_UPTO = MetaKey.SnapshotUpto;
const META_COMPACTION_MS = MetaKey.LastCompactionMs;
/** Version of the tables' layout: 2 added `updates.more` (updates split over rows). */
const META_LAYOUT = MetaKey.StoreLayout;
const LAYOUT = 2;

export class DocStore {
  /** The last log id handed out (the document's update sequence number). */
  private head = 0;
  private logEntries = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  private snapshotStoredBytes = 0;
  lastCompactionMs: number | null = null;
  /** How long the last load took (snapshot inflate + apply + log replay). */
  loadMs: number | null = null;

  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  /** True once the document was created. Reads only: an unknown id leaves no trace. */
  static exists(storage: DurableObjectStorage): boolean {
    if (!tableExists(storage.sql, "meta")) return false;
    return storage.sql.exec("SELECT 1 FROM meta WHERE key = ?", MetaKey.CreatedAt).toArray().length > 0;
  }

  /** Creates the tables (idempotent). Only called for documents that exist or are being created. */
  migrate(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value);
      CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY, data BLOB NOT NULL, more INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS snapshot (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
    `);
    if (Number(this.getMeta(META_LAYOUT) ?? 0) >= LAYOUT) return;
    // Documents created before layout 2 have no `more` column (all their rows are whole).
    try {
      this.sql.exec("ALTER TABLE updates ADD COLUMN more INTEGER NOT NULL DEFAULT 0");
    } catch (err) {
      if (!/duplicate column/i.test(err instanceof Error ? err.message : String(err))) throw err;
    }
    this.setMeta(META_LAYOUT, LAYOUT);
  }

  getMeta(key: string): string | number | null {
    const row = this.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    const value = row?.value;
    return typeof value === "string" || typeof value === "number" ? value : null;
  }

  setMeta(key: string, value: string | number): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }

  deleteMeta(key: string): void {
    this.sql.exec("DELETE FROM meta WHERE key = ?", key);
  }

  /** The stored snapshot as it is on disk (compressed), with its codec and log position. */
  storedSnapshot(): { stored: Uint8Array; codec: Codec; upto: number } | null {
    const chunks = this.sql.exec("SELECT data FROM snapshot ORDER BY seq").toArray();
    if (chunks.length === 0) return null;
    const codec = this.getMeta(META_CODEC) ?? CODEC_V2;
    if (!isCodec(codec)) throw new Error(`unknown snapshot codec ${String(codec)}`);
    const upto = Number(this.getMeta(META_UPTO) ?? 0);
    return { stored: concat(chunks.map((r) => toBytes(r.data))), codec, upto };
  }

  /** Applies the stored state to `doc`. Throws on corrupt data; writes nothing. */
  async loadInto(doc: Y.Doc): Promise<{ pending: boolean }> {
    const started = Date.now();
    const snap = this.storedSnapshot();
    let upto = 0;
    if (snap) {
      const state = await decodeSnapshot(snap.stored, snap.codec);
      Y.applyUpdateV2(doc, state);
      this.snapshotBytes = state.byteLength;
      this.snapshotStoredBytes = snap.stored.byteLength;
      upto = snap.upto;
    }
    let bytes = 0;
    let rows = 0;
    let maxId = 0;
    // One transaction: observers (none yet) and cleanup run once, not per row.
    Y.transact(doc, () => {
      for (const update of this.logUpdates()) {
        bytes += update.bytes.byteLength;
        rows += update.rows;
        maxId = update.lastId;
        Y.applyUpdate(doc, update.bytes);
      }
    });
    this.logEntries = rows;
    this.logBytes = bytes;
    this.head = Math.max(maxId, upto);
    const compactionMs = this.getMeta(META_COMPACTION_MS);
    this.lastCompactionMs = compactionMs === null ? null : Number(compactionMs);
    this.loadMs = Date.now() - started;
    // Only integrated changes are ever appended, so nothing should wait on a missing
    // dependency; if something does, the caller logs it (the rest still loads).
    return { pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null };
  }

  /** The document's update sequence number: the id of the last stored update. */
  get seq(): number {
    return this.head;
  }

  /** The stored log after the snapshot, one whole update at a time (rows rejoined). */
  *logUpdates(): Generator<{ bytes: Uint8Array; rows: number; lastId: number }> {
    let parts: Uint8Array[] = [];
    for (const row of this.sql.exec("SELECT id, data, more FROM updates ORDER BY id")) {
      parts.push(toBytes(row.data));
      if (Number(row.more) === 1) continue;
      const bytes = parts.length === 1 ? parts[0]! : concat(parts);
      yield { bytes, rows: parts.length, lastId: Number(row.id) };
      parts = [];
    }
    // A trailing part without its last row cannot come from a crash (all rows of one
    // update land in one commit); if damaged storage holds one, it is left out.
  }

  /** Appends one update; several rows when it is larger than a row may be. The rows
   * are written in one synchronous block, so they land in one commit. */
  append(update: Uint8Array): void {
    const pieces = update.byteLength <= MAX_STORED_ROW_BYTES ? [update] : chunk(update, MAX_STORED_ROW_BYTES);
    let id = this.head;
    for (let i = 0; i < pieces.length; i++) {
      id += 1;
      this.sql.exec("INSERT INTO updates (id, data, more) VALUES (?, ?, ?)", id, pieces[i]!, i < pieces.length - 1 ? 1 : 0);
    }
    this.head = id;
    this.logEntries += pieces.length;
    this.logBytes += update.byteLength;
  }

  shouldCompact(): boolean {
    return this.logEntries >= COMPACT_LOG_ENTRIES || this.logBytes >= COMPACT_LOG_BYTES;
  }

  /** Worth folding when the room empties (see FOLD_ON_LEAVE_LOG_ENTRIES). */
  shouldFoldOnLeave(): boolean {
    return this.logEntries >= FOLD_ON_LEAVE_LOG_ENTRIES || this.shouldCompact();
  }

  /** The full state of `doc`, which holds exactly snapshot + log up to `seq` (every
   * update is appended in the event that applies it). Synchronous: nothing can slip
   * in between reading `seq` and encoding. */
  capture(doc: Y.Doc): Capture {
    return { upto: this.head, state: Y.encodeStateAsUpdateV2(doc) };
  }

  /**
   * Replaces the snapshot with `stored` (the state as of log id `upto`) and deletes the
   * rows it folds, in one SQLite transaction: both land in one commit or neither does.
   * Rows after `upto` (appended while the snapshot was being compressed) stay.
   * `afterSnapshotWrite` lets tests crash the DO between the two halves.
   */
  commitSnapshot(
    capture: { upto: number; rawBytes: number; stored: Uint8Array; codec: Codec; ms?: number },
    hooks: { afterSnapshotWrite?: () => void } = {},
  ): void {
    this.storage.transactionSync(() => {
      this.writeSnapshotRows(capture);
      hooks.afterSnapshotWrite?.();
      this.sql.exec("DELETE FROM updates WHERE id <= ?", capture.upto);
      if (capture.ms !== undefined) this.setMeta(META_COMPACTION_MS, capture.ms);
    });
    if (capture.ms !== undefined) this.lastCompactionMs = capture.ms;
    this.head = Math.max(this.head, capture.upto);
    this.snapshotBytes = capture.rawBytes;
    this.snapshotStoredBytes = capture.stored.byteLength;
    const left = this.sql.exec<{ n: number; b: number | null }>("SELECT count(*) AS n, sum(length(data)) AS b FROM updates").one();
    this.logEntries = Number(left.n);
    this.logBytes = Number(left.b ?? 0);
  }

  /** Replaces the snapshot rows. Callers wrap it in a transaction with whatever must
   * land in the same commit (log truncation, or a whole recovery). */
  writeSnapshotRows(snap: { upto: number; stored: Uint8Array; codec: Codec }): void {
    this.sql.exec("DELETE FROM snapshot");
    chunk(snap.stored, STORAGE_CHUNK_BYTES).forEach((piece, seq) => {
      this.sql.exec("INSERT INTO snapshot (seq, data) VALUES (?, ?)", seq, piece);
    });
    this.setMeta(META_CODEC, snap.codec);
    this.setMeta(META_UPTO, snap.upto);
  }

  /**
   * Replaces everything stored with `state` (the live document, Yjs V2), after copying
   * the old rows into `quarantine`: how a damaged document is repaired without
   * destroying what was on disk. Uncompressed (compression is asynchronous; this must
   * land in the same turn as the change it stores); the next compaction compresses it.
   */
  replaceAll(state: Uint8Array): void {
    const now = Date.now();
    const upto = Math.max(this.head, this.maxStoredId());
    this.storage.transactionSync(() => {
      this.sql.exec(
        "CREATE TABLE IF NOT EXISTS quarantine (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, data BLOB NOT NULL, at INTEGER NOT NULL)",
      );
      this.sql.exec("INSERT INTO quarantine (kind, data, at) SELECT 'update', data, ? FROM updates ORDER BY id", now);
      this.sql.exec("INSERT INTO quarantine (kind, data, at) SELECT 'snapshot', data, ? FROM snapshot ORDER BY seq", now);
      this.sql.exec("DELETE FROM updates");
      this.writeSnapshotRows({ upto, stored: state, codec: CODEC_V2 });
    });
    this.head = upto;
    this.logEntries = 0;
    this.logBytes = 0;
    this.snapshotBytes = state.byteLength;
    this.snapshotStoredBytes = state.byteLength;
  }

  /**
   * Replaces the whole stored state with `snap` (a rebuilt document: storage/rebuild.ts)
   * in one commit, together with `alsoInCommit` (the epoch). Unlike replaceAll nothing
   * is quarantined: the old state is a version in R2 already, and keeping it here would
   * keep the bloat the rebuild removes. The sequence moves on by one, so the new state
   * is newer than every version of the old one.
   */
  replaceWith(snap: { rawBytes: number; stored: Uint8Array; codec: Codec }, alsoInCommit: () => void): number {
    const upto = Math.max(this.head, this.maxStoredId()) + 1;
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM updates");
      this.writeSnapshotRows({ upto, stored: snap.stored, codec: snap.codec });
      alsoInCommit();
    });
    this.head = upto;
    this.logEntries = 0;
    this.logBytes = 0;
    this.snapshotBytes = snap.rawBytes;
    this.snapshotStoredBytes = snap.stored.byteLength;
    return upto;
  }

  /** The highest update id on disk, whatever state the rest is in. */
  maxStoredId(): number {
    const row = this.sql.exec<{ m: number | null }>("SELECT max(id) AS m FROM updates").one();
    return Math.max(Number(row.m ?? 0), Number(this.getMeta(META_UPTO) ?? 0));
  }

  /** After a load that failed half-way: counters from the tables themselves, so later
   * appends continue the sequence. */
  resync(): void {
    this.head = this.maxStoredId();
    const left = this.sql.exec<{ n: number; b: number | null }>("SELECT count(*) AS n, sum(length(data)) AS b FROM updates").one();
    this.logEntries = Number(left.n);
    this.logBytes = Number(left.b ?? 0);
  }

  /** Encoded size of what is stored: the document size guard compares against it. */
  storedBytes(): number {
    return this.snapshotBytes + this.logBytes;
  }

  stats(): StoreStats {
    return {
      logEntries: this.logEntries,
      logBytes: this.logBytes,
      snapshotBytes: this.snapshotBytes,
      snapshotStoredBytes: this.snapshotStoredBytes,
      lastCompactionMs: this.lastCompactionMs,
      loadMs: this.loadMs,
    };
  }
}
