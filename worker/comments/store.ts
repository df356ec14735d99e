/**
 * Comment threads in the Durable Object's SQLite: two tables beside the document's,
 * never in the Y.Doc, so no Yjs write can alter or remove them. A thread is never
 * deleted: when its anchored text is gone it shows as detached, with the last quote
 * it had (kept here, refreshed whenever the anchor is read).
 */
import type { Comment } from "../../shared/comments";

export interface ThreadRow {
  id: string;
  status: "open" | "resolved";
  quote: string;
  createdAt: number;
}

export interface CommentRow extends Comment {
  threadId: string;
  /** The connection that wrote it (for the logs and the live echo), or null (HTTP, AI). */
  conn: string | null;
}

type Sql = SqlStorage;

export class ThreadStore {
  private migrated = false;

  constructor(private readonly sql: Sql) {}

  private ready(): Sql {
    if (!this.migrated) {
      this.sql.exec(`
        CREATE TABLE IF NOT EXISTS threads (
          id TEXT PRIMARY KEY, status TEXT NOT NULL, quote TEXT NOT NULL, created_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS comments (
          id TEXT PRIMARY KEY, thread_id TEXT NOT NULL, author TEXT NOT NULL, author_id TEXT,
          conn TEXT, body TEXT NOT NULL, created_at INTEGER NOT NULL, edited_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS comments_by_thread ON comments (thread_id, created_at);
      `);
      this.migrated = true;
    }
    return this.sql;
  }

  /** Forget that the tables exist (after storage was wiped). */
  invalidate(): void {
    this.migrated = false;
  }

  threadCount(): number {
    return this.ready().exec<{ n: number }>("SELECT count(*) AS n FROM threads").one().n;
  }

  commentCount(threadId: string): number {
    return this.ready().exec<{ n: number }>("SELECT count(*) AS n FROM comments WHERE thread_id = ?", threadId).one().n;
  }

  threads(): ThreadRow[] {
    return this.ready()
      .exec<{ id: string; status: string; quote: string; created_at: number }>(
        "SELECT id, status, quote, created_at FROM threads ORDER BY created_at, id",
      )
      .toArray()
      .map((r) => ({ id: r.id, status: r.status === "resolved" ? "resolved" : "open", quote: r.quote, createdAt: r.created_at }));
  }

  thread(id: string): ThreadRow | null {
    return this.threads().find((t) => t.id === id) ?? null;
  }

  comments(threadId?: string): CommentRow[] {
    const sql = this.ready();
    const rows =
      threadId === undefined
        ? sql.exec<RawComment>("SELECT * FROM comments ORDER BY created_at, id")
        : sql.exec<RawComment>("SELECT * FROM comments WHERE thread_id = ? ORDER BY created_at, id", threadId);
    return rows.toArray().map(toComment);
  }

  comment(id: string): CommentRow | null {
    const row = this.ready().exec<RawComment>("SELECT * FROM comments WHERE id = ?", id).toArray()[0];
    return row ? toComment(row) : null;
  }

  addThread(t: ThreadRow, first: CommentRow): void {
    const sql = this.ready();
    sql.exec("INSERT INTO threads (id, status, quote, created_at) VALUES (?, ?, ?, ?)", t.id, t.status, t.quote, t.createdAt);
    this.addComment(first);
  }

  addComment(c: CommentRow): void {
    this.ready().exec(
      "INSERT INTO comments (id, thread_id, author, author_id, conn, body, created_at, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      c.id,
      c.threadId,
      c.author,
      c.authorId,
      c.conn,
      c.body,
      c.createdAt,
      c.editedAt,
    );
  }

  setStatus(id: string, status: "open" | "resolved"): void {
    this.ready().exec("UPDATE threads SET status = ? WHERE id = ?", status, id);
  }

  setQuote(id: string, quote: string): void {
    this.ready().exec("UPDATE threads SET quote = ? WHERE id = ? AND quote != ?", quote, id, quote);
  }

  editComment(id: string, body: string, at: number): void {
    this.ready().exec("UPDATE comments SET body = ?, edited_at = ? WHERE id = ?", body, at, id);
  }

  deleteComment(id: string): void {
    this.ready().exec("DELETE FROM comments WHERE id = ?", id);
  }
}

interface RawComment extends Record<string, SqlStorageValue> {
  id: string;
  thread_id: string;
  author: string;
  author_id: string | null;
  conn: string | null;
  body: string;
  created_at: number;
  edited_at: number | null;
}

const toComment = (r: RawComment): CommentRow => ({
  id: r.id,
  threadId: r.thread_id,
  author: r.author,
  authorId: r.author_id,
  conn: r.conn,
  body: r.body,
  createdAt: r.created_at,
  editedAt: r.edited_at,
});
