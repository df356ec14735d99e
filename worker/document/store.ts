/**
 * The document's durable storage in the Durable Object's SQLite:
 *
 *   snapshot(seq, data)   the folded state, Yjs V2, split into STORAGE_CHUNK_BYTES chunks
 *   updates(id, data)     every accepted update since that snapshot, Yjs V1, one row per commit
 *   meta(key, value)      created_at, token hashes, ...
 *
 * Loading = snapshot + updates in id order. Every update is appended in the same
 * event that applies it, so the DO output gate holds the broadcast until it is on disk.
 */
import * as Y from "yjs";
import { COMPACT_LOG_BYTES, COMPACT_LOG_ENTRIES, STORAGE_CHUNK_BYTES } from "../../shared/limits";

export interface StoreStats {
  logEntries: number;
  logBytes: number;
  snapshotBytes: number;
  lastCompactionMs: number | null;
}

export class DocStore {
  private logEntries = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  private lastCompactionMs: number | null = null;

  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  /** True once the document was created. Reads only: an unknown id leaves no trace. */
  static exists(storage: DurableObjectStorage): boolean {
    const rows = storage.sql
      .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
      .toArray();
    if (rows.length === 0) return false;
    return storage.sql.exec("SELECT 1 FROM meta WHERE key = 'created_at'").toArray().length > 0;
  }

  /** Creates the tables (idempotent). Only called for documents that exist or are being created. */
  migrate(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value);
      CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS snapshot (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
    `);
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

  /** Applies the stored state to `doc`. Throws on corrupt data; writes nothing. */
  loadInto(doc: Y.Doc): void {
    const chunks = this.sql.exec("SELECT data FROM snapshot ORDER BY seq").toArray();
    if (chunks.length > 0) {
      const snapshot = concat(chunks.map((r) => toBytes(r.data)));
      this.snapshotBytes = snapshot.byteLength;
      Y.applyUpdateV2(doc, snapshot);
    }
    const rows = this.sql.exec("SELECT data FROM updates ORDER BY id").toArray();
    let bytes = 0;
    // One transaction: observers (none yet) and cleanup run once, not per row.
    Y.transact(doc, () => {
      for (const row of rows) {
        const update = toBytes(row.data);
        bytes += update.byteLength;
        Y.applyUpdate(doc, update);
      }
    });
    this.logEntries = rows.length;
    this.logBytes = bytes;
  }

  append(update: Uint8Array): void {
    this.sql.exec("INSERT INTO updates (data) VALUES (?)", update);
    this.logEntries += 1;
    this.logBytes += update.byteLength;
  }

  shouldCompact(): boolean {
    return this.logEntries >= COMPACT_LOG_ENTRIES || this.logBytes >= COMPACT_LOG_BYTES;
  }

  /** Folds the whole log into a fresh snapshot of `doc` (which holds exactly
   * snapshot + log). Snapshot write and log truncation run in one SQLite
   * transaction: a crash leaves either the old pair or the new one. */
  compact(doc: Y.Doc): void {
    const started = Date.now();
    const snapshot = Y.encodeStateAsUpdateV2(doc);
    this.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM snapshot");
      for (let seq = 0, off = 0; off < snapshot.byteLength || seq === 0; seq++, off += STORAGE_CHUNK_BYTES) {
        this.sql.exec(
          "INSERT INTO snapshot (seq, data) VALUES (?, ?)",
          seq,
          snapshot.subarray(off, off + STORAGE_CHUNK_BYTES),
        );
      }
      this.sql.exec("DELETE FROM updates");
    });
    this.snapshotBytes = snapshot.byteLength;
    this.logEntries = 0;
    this.logBytes = 0;
    this.lastCompactionMs = Date.now() - started;
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
      lastCompactionMs: this.lastCompactionMs,
    };
  }
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value instanceof Uint8Array) return value;
  throw new Error("stored value is not a blob");
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}
