/**
 * Comment threads in the Durable Object's SQLite: tables beside the document's, never
 * in the Y.Doc, so no Yjs write can alter or remove them. When a thread's anchored
 * text is gone it shows as detached, with the last quote it had (kept here, refreshed
 * whenever the anchor is read).
 *
 * Every change takes the next number of a per-document counter (`seq`) and stamps it
 * on the thread (`changed`); a deleted thread leaves a tombstone with its number. That
 * is what `GET …/threads?since=` reads: what changed after a client's cursor, never
 * the whole list again. The byte total (quota.ts) is summed here.
 */
import type { Comment } from "../../shared/comments";
import { COMMENT_ROW_BYTES, MAX_QUOTE_CHARS, MAX_THREAD_TOMBSTONES } from "../../shared/limits";
import { type RawComment, type RawThread, SEQ_KEY, migrate, toComment, toThread } from "./store-schema";

export interface ThreadRow {
  id: string;
  status: "open" | "resolved";
  quote: string;
  createdAt: number;
  changed: number;
}

export interface CommentRow extends Comment {
  threadId: string;
  /** The connection that wrote it (for the logs and the live echo), or null (HTTP, AI). */
  conn: string | null;
}

/** A comment with its place in the thread (for paging). */
export type PlacedComment = CommentRow & { pos: number };

type Sql = SqlStorage;

const FLOOR_KEY = "tombstone-floor";
const BACKED_UP_KEY = "backed-up-seq";

export class ThreadStore {
  private migrated = false;
  private bytesCache: number | null = null;

  constructor(private readonly sql: Sql) {}

  private ready(): Sql {
    if (!this.migrated) {
      migrate(this.sql);
      this.migrated = true;
    }
    return this.sql;
  }

  /** Forget that the tables exist (after storage was wiped). */
  invalidate(): void {
    this.migrated = false;
    this.bytesCache = null;
  }

  // ---------------------------------------------------------------- counters

  private meta(k: string): number {
    return this.ready().exec<{ v: number }>("SELECT v FROM comment_meta WHERE k = ?", k).toArray()[0]?.v ?? 0;
  }

  private setMeta(k: string, v: number): void {
    this.sql.exec("INSERT INTO comment_meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", k, v);
  }

  /** The newest change number. */
  seq(): number {
    return this.meta(SEQ_KEY);
  }

  /** Deletions numbered at or below this were forgotten (MAX_THREAD_TOMBSTONES). */
  tombstoneFloor(): number {
    return this.meta(FLOOR_KEY);
  }

  /** The change number the R2 copy holds (backup.ts). */
  backedUpSeq(): number {
    return this.meta(BACKED_UP_KEY);
  }

  setBackedUpSeq(seq: number): void {
    this.ready();
    this.setMeta(BACKED_UP_KEY, seq);
  }

  /** Stamps thread `id` as changed now; every write calls it once. */
  private touch(id: string): void {
    const next = this.seq() + 1;
    this.setMeta(SEQ_KEY, next);
    this.sql.exec("UPDATE threads SET changed = ? WHERE id = ?", next, id);
    this.bytesCache = null;
  }

  /** Bytes of every thread's texts plus the per-row charge (MAX_COMMENT_BYTES_PER_DOCUMENT). */
  bytes(): number {
    if (this.bytesCache === null) {
      const sql = this.ready();
      const c = sql
        .exec<{ n: number }>(
          "SELECT coalesce(sum(length(CAST(body AS BLOB)) + length(CAST(author AS BLOB)) + ?), 0) AS n FROM comments",
          COMMENT_ROW_BYTES,
        )
        .one().n;
      const t = sql
        .exec<{ n: number }>("SELECT coalesce(sum(length(CAST(quote AS BLOB)) + ?), 0) AS n FROM threads", COMMENT_ROW_BYTES)
        .one().n;
      this.bytesCache = c + t;
    }
    return this.bytesCache;
  }

  // ---------------------------------------------------------------- reads

  threadCount(): number {
    return this.ready().exec<{ n: number }>("SELECT count(*) AS n FROM threads").one().n;
  }

  commentCount(threadId: string): number {
    return this.ready().exec<{ n: number }>("SELECT count(*) AS n FROM comments WHERE thread_id = ?", threadId).one().n;
  }

  /** Stored status counts (detached threads count as open). */
  statusCounts(): { open: number; resolved: number } {
    const rows = this.ready().exec<{ status: string; n: number }>("SELECT status, count(*) AS n FROM threads GROUP BY status").toArray();
    const resolved = rows.find((r) => r.status === "resolved")?.n ?? 0;
    return { open: rows.reduce((s, r) => s + r.n, 0) - resolved, resolved };
  }

  /** Threads changed after `since`, in the order they changed. */
  changedSince(since: number, limit: number): ThreadRow[] {
    return this.ready()
      .exec<RawThread>("SELECT * FROM threads WHERE changed > ? ORDER BY changed LIMIT ?", since, limit)
      .toArray()
      .map(toThread);
  }

  /** Ids of threads deleted after `since`, up to `upto`. */
  deletedBetween(since: number, upto: number): string[] {
    return this.ready()
      .exec<{ id: string }>("SELECT id FROM thread_tombstones WHERE changed > ? AND changed <= ? ORDER BY changed", since, upto)
      .toArray()
      .map((r) => r.id);
  }

  thread(id: string): ThreadRow | null {
    const row = this.ready().exec<RawThread>("SELECT * FROM threads WHERE id = ?", id).toArray()[0];
    return row ? toThread(row) : null;
  }

  /** Every thread, oldest first (the R2 copy). */
  threads(): ThreadRow[] {
    return this.ready().exec<RawThread>("SELECT * FROM threads ORDER BY created_at, id").toArray().map(toThread);
  }

  /** A thread's comments in order, after position `after` (0: from the start). */
  comments(threadId: string, after = 0, limit = -1): PlacedComment[] {
    return this.ready()
      .exec<RawComment>(
        "SELECT rowid AS pos, * FROM comments WHERE thread_id = ? AND rowid > ? ORDER BY rowid LIMIT ?",
        threadId,
        after,
        limit,
      )
      .toArray()
      .map(toComment);
  }

  /** The first comment and the newest ones, `n` in all, in order. */
  summaryComments(threadId: string, n: number): CommentRow[] {
    const sql = this.ready();
    const first = sql
      .exec<RawComment>("SELECT rowid AS pos, * FROM comments WHERE thread_id = ? ORDER BY rowid LIMIT 1", threadId)
      .toArray();
    const newest = sql
      .exec<RawComment>(
        "SELECT rowid AS pos, * FROM comments WHERE thread_id = ? ORDER BY rowid DESC LIMIT ?",
        threadId,
        Math.max(0, n - 1),
      )
      .toArray()
      .reverse();
    const rows = first.length > 0 && newest[0]?.id === first[0]!.id ? newest : [...first, ...newest];
    return rows.map(toComment);
  }

  /** Comment `id`, if it belongs to thread `threadId` (when given). */
  comment(id: string, threadId?: string): CommentRow | null {
    const row = this.ready().exec<RawComment>("SELECT rowid AS pos, * FROM comments WHERE id = ?", id).toArray()[0];
    return row && (threadId === undefined || row.thread_id === threadId) ? toComment(row) : null;
  }

  /** Whether every comment of the thread carries this author id. */
  allBy(threadId: string, authorId: string): boolean {
    return (
      this.ready()
        .exec<{ n: number }>(
          "SELECT count(*) AS n FROM comments WHERE thread_id = ? AND (author_id IS NULL OR author_id != ?)",
          threadId,
          authorId,
        )
        .one().n === 0
    );
  }

  // ---------------------------------------------------------------- writes

  addThread(t: Omit<ThreadRow, "changed">, first: CommentRow): void {
    this.ready().exec(
      "INSERT INTO threads (id, status, quote, created_at, changed) VALUES (?, ?, ?, ?, 0)",
      t.id,
      t.status,
      t.quote,
      t.createdAt,
    );
    this.addComment(first);
  }

  addComment(c: CommentRow): void {
    this.ready().exec(
      "INSERT INTO comments (id, thread_id, author, author_id, conn, body, created_at, edited_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      c.id,
      c.threadId,
      c.author,
      c.authorId,
      c.conn,
      c.body,
      c.createdAt,
      c.editedAt,
      c.kind,
    );
    this.touch(c.threadId);
  }

  setStatus(id: string, status: "open" | "resolved"): void {
    this.ready().exec("UPDATE threads SET status = ? WHERE id = ?", status, id);
    this.touch(id);
  }

  /** Remembers what the anchor reads now (not a change: it is derived from the document). */
  setQuote(id: string, quote: string): void {
    const q = quote.slice(0, MAX_QUOTE_CHARS);
    this.ready().exec("UPDATE threads SET quote = ? WHERE id = ? AND quote != ?", q, id, q);
    this.bytesCache = null;
  }

  editComment(id: string, threadId: string, body: string, at: number): void {
    this.ready().exec("UPDATE comments SET body = ?, edited_at = ? WHERE id = ?", body, at, id);
    this.touch(threadId);
  }

  /** Deletes one comment; a thread left without comments is deleted with it. Returns
   * whether the thread went. */
  deleteComment(id: string, threadId: string): boolean {
    this.ready().exec("DELETE FROM comments WHERE id = ?", id);
    if (this.commentCount(threadId) === 0) {
      this.deleteThread(threadId);
      return true;
    }
    this.touch(threadId);
    return false;
  }

  /** Deletes a thread and its comments, leaving a tombstone for `since` readers. */
  deleteThread(id: string): void {
    const sql = this.ready();
    sql.exec("DELETE FROM comments WHERE thread_id = ?", id);
    sql.exec("DELETE FROM threads WHERE id = ?", id);
    const next = this.seq() + 1;
    this.setMeta(SEQ_KEY, next);
    sql.exec(
      "INSERT INTO thread_tombstones (id, changed) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET changed = excluded.changed",
      id,
      next,
    );
    this.bytesCache = null;
    const over = sql.exec<{ n: number }>("SELECT count(*) AS n FROM thread_tombstones").one().n - MAX_THREAD_TOMBSTONES;
    if (over > 0) {
      const floor = sql
        .exec<{ c: number }>("SELECT max(changed) AS c FROM (SELECT changed FROM thread_tombstones ORDER BY changed LIMIT ?)", over)
        .one().c;
      sql.exec("DELETE FROM thread_tombstones WHERE changed <= ?", floor);
      this.setMeta(FLOOR_KEY, floor);
    }
  }

  /** Replaces every thread and comment (a document rebuilt from R2). Call inside the
   * recovery's transaction. */
  replaceAll(threads: Omit<ThreadRow, "changed">[], comments: CommentRow[]): void {
    const sql = this.ready();
    sql.exec("DELETE FROM comments");
    sql.exec("DELETE FROM threads");
    for (const t of threads) {
      sql.exec("INSERT INTO threads (id, status, quote, created_at, changed) VALUES (?, ?, ?, ?, 0)", t.id, t.status, t.quote, t.createdAt);
    }
    for (const c of comments) this.addComment(c);
    // Threads without a comment (none are written so) still get a change number.
    for (const t of threads) this.touch(t.id);
  }
}
