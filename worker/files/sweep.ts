/**
 * Deletes uploaded files that nothing uses any more. Runs on the document's alarm
 * (after the alarm's compaction and version), so it costs nothing while a room is
 * quiet and never delays an edit. One sweep:
 *
 *  1. lists the files in R2 (one list call; a document without files stops here);
 *  2. scans the live document's state for file addresses (refs.ts);
 *  3. marks each unreferenced file with when it was first seen so (SQLite
 *     `file_orphans`), and clears the mark of files in use again;
 *  4. for files marked at least FILE_ORPHAN_GRACE_MS ago, reads which files the kept
 *     versions made since their upload mention: each version is read from R2 once in
 *     its life and the answer kept (`file_version_refs`), at most
 *     MAX_SWEEP_VERSION_SCAN_BYTES per sweep. A file is kept while any such version
 *     mentions it or has not been read yet;
 *  5. deletes the rest from R2.
 *
 * Restoring a version can therefore never bring back an image whose file is gone.
 */
import { FILE_ORPHAN_GRACE_MS, FILE_SWEEP_CLOCK_MARGIN_MS, MAX_SWEEP_VERSION_SCAN_BYTES } from "../../shared/limits";
import { tableExists } from "../storage/sqlite";
import type { VersionRow } from "../storage/version-index";
import { fileRefsIn } from "./refs";
import type { FileStore, StoredFile } from "./store";

export interface SweepDeps {
  sql: SqlStorage;
  store: FileStore;
  /** The live document's full state (Yjs V1 or V2). */
  liveState(): Uint8Array;
  /** Every kept version. */
  versions(): VersionRow[];
  /** A version's state (decompressed), or null if its object is gone. Throws when it
   * cannot be read now. */
  versionState(row: VersionRow): Promise<Uint8Array | null>;
}

export interface SweepResult {
  files: number;
  inUse: number;
  waiting: number;
  deleted: string[];
  versionsRead: number;
}

export class FileSweeper {
  private migrated = false;

  constructor(private readonly deps: SweepDeps) {}

  private migrate(): void {
    if (this.migrated) return;
    this.deps.sql.exec(`
      CREATE TABLE IF NOT EXISTS file_orphans (id TEXT PRIMARY KEY, since INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS file_version_refs (version_id TEXT PRIMARY KEY, refs TEXT NOT NULL);
    `);
    this.migrated = true;
  }

  async sweep(now: number): Promise<SweepResult> {
    const { sql, store } = this.deps;
    const files = await store.list();
    const result: SweepResult = { files: files.length, inUse: 0, waiting: 0, deleted: [], versionsRead: 0 };
    const tablesExist = this.migrated || tableExists(sql, "file_orphans");
    if (files.length === 0 && !tablesExist) return result;
    this.migrate();

    const live = fileRefsIn(this.deps.liveState());
    const marks = new Map(
      sql
        .exec("SELECT id, since FROM file_orphans")
        .toArray()
        .map((r) => [String(r.id), Number(r.since)]),
    );
    const due: StoredFile[] = [];
    for (const f of files) {
      if (live.has(f.id)) {
        result.inUse += 1;
        if (marks.has(f.id)) sql.exec("DELETE FROM file_orphans WHERE id = ?", f.id);
        continue;
      }
      const since = marks.get(f.id);
      if (since === undefined) sql.exec("INSERT INTO file_orphans (id, since) VALUES (?, ?)", f.id, now);
      if (since !== undefined && since + FILE_ORPHAN_GRACE_MS <= now) due.push(f);
      else result.waiting += 1;
    }

    const doomed: string[] = [];
    if (due.length > 0) {
      const versionRefs = await this.versionRefs(due, new Set(files.map((f) => f.id)), result);
      for (const f of due) {
        const mentioned = versionRefs.some(
          (v) => v.row.createdAt >= f.uploadedAt - FILE_SWEEP_CLOCK_MARGIN_MS && (v.refs === null || v.refs.has(f.id)),
        );
        if (mentioned) result.waiting += 1;
        else doomed.push(f.id);
      }
    }
    if (doomed.length > 0) {
      await store.delete(doomed);
      for (const id of doomed) sql.exec("DELETE FROM file_orphans WHERE id = ?", id);
      result.deleted = doomed;
    }
    // Forget marks of files gone by other means, and answers for versions thinned away.
    const present = new Set(files.map((f) => f.id));
    for (const id of marks.keys()) if (!present.has(id)) sql.exec("DELETE FROM file_orphans WHERE id = ?", id);
    sql.exec("DELETE FROM file_version_refs WHERE version_id NOT IN (SELECT id FROM versions)");
    return result;
  }

  /** The files each version that could mention one of `due` mentions; null for a
   * version not read (over this sweep's budget, or R2 failed). */
  private async versionRefs(
    due: StoredFile[],
    fileIds: Set<string>,
    result: SweepResult,
  ): Promise<{ row: VersionRow; refs: Set<string> | null }[]> {
    const { sql } = this.deps;
    const oldest = Math.min(...due.map((f) => f.uploadedAt)) - FILE_SWEEP_CLOCK_MARGIN_MS;
    const rows = this.deps.versions().filter((r) => r.createdAt >= oldest);
    const known = new Map(
      sql
        .exec("SELECT version_id, refs FROM file_version_refs")
        .toArray()
        .map((r) => [String(r.version_id), String(r.refs)]),
    );
    let budget = MAX_SWEEP_VERSION_SCAN_BYTES;
    const out: { row: VersionRow; refs: Set<string> | null }[] = [];
    for (const row of rows) {
      const cached = known.get(row.id);
      if (cached !== undefined) {
        out.push({ row, refs: new Set(JSON.parse(cached) as string[]) });
        continue;
      }
      // At least one version per sweep, however large, or a big one would never be read.
      if (row.bytes > budget && result.versionsRead > 0) {
        out.push({ row, refs: null });
        continue;
      }
      let refs: Set<string> | null;
      try {
        const state = await this.deps.versionState(row);
        // A version can only mention files that existed when it was made, so only ids
        // of files that exist now are worth keeping in the answer.
        refs = new Set(state ? [...fileRefsIn(state)].filter((id) => fileIds.has(id)) : []);
      } catch {
        refs = null;
      }
      result.versionsRead += 1;
      budget -= row.bytes;
      if (refs !== null)
        sql.exec("INSERT OR REPLACE INTO file_version_refs (version_id, refs) VALUES (?, ?)", row.id, JSON.stringify([...refs]));
      out.push({ row, refs });
    }
    return out;
  }
}
