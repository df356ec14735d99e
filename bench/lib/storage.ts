/**
 * What a server left on disk, read with Node's built-in SQLite after the server has
 * stopped: file bytes (database + WAL) and the logical bytes of the document data.
 * "After compaction" works on a copy: for Quire, the stored snapshot + log folded into
 * one snapshot exactly as worker/storage/compactor.ts writes it (Yjs V2 + gzip, 512 KiB
 * chunks, log emptied); for both, the copy is then VACUUMed so free pages are not counted.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { gunzipSync, gzipSync } from "node:zlib";
import * as Y from "yjs";
import { STORAGE_CHUNK_BYTES } from "../../shared/limits";
import type { ServerId } from "../servers/types";

export interface StorageFigures {
  /** Files of the database (db + -wal + -shm) as left by the server. */
  fileBytes: number;
  /** Bytes of document data in it (snapshot + log rows, or Hocuspocus's state row). */
  dataBytes: number;
  /** Rows of the update log (Quire) — 0 for Hocuspocus. */
  logRows: number;
  /** After compaction (Quire's own fold, on a copy) and VACUUM. */
  compactedFileBytes: number;
  compactedDataBytes: number;
}

function findDb(dir: string, test: (name: string) => boolean): string | null {
  if (!existsSync(dir)) return null;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const found = findDb(p, test);
      if (found) return found;
    } else if (test(e.name)) return p;
  }
  return null;
}

const withSidecars = (db: string): string[] => [db, `${db}-wal`, `${db}-shm`].filter((f) => existsSync(f));
const fileBytes = (db: string): number => withSidecars(db).reduce((n, f) => n + statSync(f).size, 0);

function copyDb(db: string): { copy: string; done: () => void } {
  const tmp = mkdtempSync(join(db, "..", "..", "copy-"));
  const copy = join(tmp, "db.sqlite");
  for (const f of withSidecars(db)) copyFileSync(f, copy + f.slice(db.length));
  return { copy, done: () => rmSync(tmp, { recursive: true, force: true }) };
}

const num = (v: unknown): number => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : 0);

function quireData(db: DatabaseSync): { data: number; rows: number } {
  const snap = db.prepare("SELECT coalesce(sum(length(data)), 0) AS n FROM snapshot").get();
  const log = db.prepare("SELECT coalesce(sum(length(data)), 0) AS n, count(*) AS c FROM updates").get();
  return { data: num(snap?.["n"]) + num(log?.["n"]), rows: num(log?.["c"]) };
}

/** Quire's compaction, on a copy of the database, as worker/storage/compactor.ts
 * writes it: Yjs V2 of the folded state, gzip (codec "yjs-v2+gzip"), in chunks. */
function quireCompact(db: DatabaseSync): void {
  const doc = new Y.Doc();
  const codec = db.prepare("SELECT value FROM meta WHERE key = 'snapshot_codec'").get()?.["value"];
  const chunks = db
    .prepare("SELECT data FROM snapshot ORDER BY seq")
    .all()
    .map((r) => r["data"] as Uint8Array);
  if (chunks.length > 0) {
    const stored = Buffer.concat(chunks);
    Y.applyUpdateV2(doc, codec === "yjs-v2+gzip" ? gunzipSync(stored) : stored);
  }
  for (const r of db.prepare("SELECT data FROM updates ORDER BY id").all()) Y.applyUpdate(doc, r["data"] as Uint8Array);
  const snapshot = gzipSync(Y.encodeStateAsUpdateV2(doc));
  db.exec("BEGIN; DELETE FROM snapshot; DELETE FROM updates;");
  const insert = db.prepare("INSERT INTO snapshot (seq, data) VALUES (?, ?)");
  for (let seq = 0, off = 0; off < snapshot.byteLength; seq++, off += STORAGE_CHUNK_BYTES) {
    insert.run(seq, snapshot.subarray(off, off + STORAGE_CHUNK_BYTES));
  }
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('snapshot_codec', 'yjs-v2+gzip')").run();
  db.exec("COMMIT");
}

/** The document's database: the largest SQLite file of a Document Durable Object (the
 * state also holds CreateLimiter objects, and the bench's small probe document). */
function largestDocumentDb(doDir: string): string | null {
  if (!existsSync(doDir)) return null;
  const dirs = readdirSync(doDir).filter((d) => d.endsWith("-Document"));
  const files = dirs.flatMap((d) =>
    readdirSync(join(doDir, d))
      .filter((n) => n.endsWith(".sqlite") && !n.includes("metadata"))
      .map((n) => join(doDir, d, n)),
  );
  files.sort((a, b) => fileBytes(b) - fileBytes(a));
  return files[0] ?? findDb(doDir, (n) => n.endsWith(".sqlite") && !n.includes("metadata"));
}

export function measureStorage(id: ServerId, stateDir: string): StorageFigures | null {
  const isQuire = id.startsWith("quire");
  const path = isQuire ? largestDocumentDb(join(stateDir, "v3", "do")) : id === "hocuspocus" ? join(stateDir, "hocuspocus.sqlite") : null;
  if (!path || !existsSync(path)) return null;
  const before = fileBytes(path);
  const read = (db: DatabaseSync) =>
    isQuire ? quireData(db) : { data: num(db.prepare("SELECT coalesce(sum(length(data)), 0) AS n FROM documents").get()?.["n"]), rows: 0 };
  const { copy, done } = copyDb(path);
  try {
    const db = new DatabaseSync(copy);
    const stored = read(db);
    if (isQuire) quireCompact(db);
    const compacted = read(db);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;");
    db.close();
    return {
      fileBytes: before,
      dataBytes: stored.data,
      logRows: stored.rows,
      compactedFileBytes: fileBytes(copy),
      compactedDataBytes: compacted.data,
    };
  } finally {
    done();
  }
}
