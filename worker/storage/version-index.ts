/**
 * The list of a document's versions, in its Durable Object's SQLite. The content of
 * each version lives in R2 (one snapshot object per version, see r2.ts); this index
 * makes listing cheap and is rebuilt from the objects' metadata after a recovery.
 *
 *   versions(id, created_at, seq, kind, name, bytes, stored_bytes, authors, r2_key)
 */
import { VERSION_KINDS, type Version, type VersionKind } from "../../shared/versions";

export interface VersionRow {
  id: string;
  createdAt: number;
  /** The document's update sequence number the snapshot covers. */
  seq: number;
  kind: VersionKind;
  name: string | null;
  /** Uncompressed (Yjs V2) size. */
  bytes: number;
  /** Size of the R2 object. */
  storedBytes: number;
  authors: string[];
  r2Key: string;
}

const isKind = (v: unknown): v is VersionKind => (VERSION_KINDS as readonly unknown[]).includes(v);

/** The authors column (JSON, as stored in SQLite and R2 metadata): names only, anything else dropped. */
export function parseAuthors(raw: unknown): string[] {
  if (typeof raw !== "string" || raw === "") return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((a): a is string => typeof a === "string") : [];
  } catch {
    return [];
  }
}

function toRow(r: Record<string, SqlStorageValue>): VersionRow {
  const kind = r.kind;
  return {
    id: String(r.id),
    createdAt: Number(r.created_at),
    seq: Number(r.seq),
    kind: isKind(kind) ? kind : "auto",
    name: typeof r.name === "string" ? r.name : null,
    bytes: Number(r.bytes),
    storedBytes: Number(r.stored_bytes),
    authors: parseAuthors(r.authors),
    r2Key: String(r.r2_key),
  };
}

/** The API shape (what GET /versions returns). */
export function toApiVersion(row: VersionRow): Version {
  return {
    id: row.id,
    createdAt: row.createdAt,
    ...(row.name !== null ? { name: row.name } : {}),
    bytes: row.bytes,
    ...(row.authors.length > 0 ? { authors: row.authors } : {}),
    kind: row.kind,
  };
}

export class VersionIndex {
  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS versions (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        name TEXT,
        bytes INTEGER NOT NULL,
        stored_bytes INTEGER NOT NULL,
        authors TEXT,
        r2_key TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS versions_by_time ON versions (created_at);
    `);
  }

  insert(v: VersionRow): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO versions (id, created_at, seq, kind, name, bytes, stored_bytes, authors, r2_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      v.id,
      v.createdAt,
      v.seq,
      v.kind,
      v.name,
      v.bytes,
      v.storedBytes,
      v.authors.length > 0 ? JSON.stringify(v.authors) : null,
      v.r2Key,
    );
  }

  /** Newest first. */
  list(): VersionRow[] {
    return this.sql.exec("SELECT * FROM versions ORDER BY created_at DESC, seq DESC").toArray().map(toRow);
  }

  get(id: string): VersionRow | null {
    const row = this.sql.exec("SELECT * FROM versions WHERE id = ?", id).toArray()[0];
    return row ? toRow(row) : null;
  }

  /** The version covering the most recent state (highest seq, then newest). */
  latest(): VersionRow | null {
    const row = this.sql.exec("SELECT * FROM versions ORDER BY seq DESC, created_at DESC LIMIT 1").toArray()[0];
    return row ? toRow(row) : null;
  }

  /** The newest version of one of `kinds` (the minimum-gap rule is measured from the
   * newest scheduled one). */
  latestOf(kinds: readonly VersionKind[]): VersionRow | null {
    const row = this.sql
      .exec(`SELECT * FROM versions WHERE kind IN (${kinds.map(() => "?").join(", ")}) ORDER BY created_at DESC LIMIT 1`, ...kinds)
      .toArray()[0];
    return row ? toRow(row) : null;
  }

  /** When each version of one of `kinds` made at or after `since` was made, oldest first. */
  createdSince(kinds: readonly VersionKind[], since: number): number[] {
    return this.sql
      .exec(
        `SELECT created_at FROM versions WHERE created_at >= ? AND kind IN (${kinds.map(() => "?").join(", ")}) ORDER BY created_at`,
        since,
        ...kinds,
      )
      .toArray()
      .map((r) => Number(r.created_at));
  }

  count(kind?: "named"): number {
    const q = kind
      ? this.sql.exec("SELECT count(*) AS n FROM versions WHERE kind = ?", kind)
      : this.sql.exec("SELECT count(*) AS n FROM versions");
    return Number(q.one().n);
  }

  delete(ids: string[]): void {
    for (const id of ids) this.sql.exec("DELETE FROM versions WHERE id = ?", id);
  }
}
