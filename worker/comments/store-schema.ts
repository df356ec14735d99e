/** The comment tables (store.ts) and their rows as SQLite returns them. */
import type { CommentKind } from "../../shared/comments";
import type { PlacedComment, ThreadRow } from "./store";

export const SEQ_KEY = "seq";

/** Creates what is missing, and brings tables made before threads had a change number
 * and comments a kind up to date. */
export function migrate(sql: SqlStorage): void {
  sql.exec(`
    CREATE TABLE IF NOT EXISTS threads (
      id TEXT PRIMARY KEY, status TEXT NOT NULL, quote TEXT NOT NULL, created_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS comments (
      id TEXT PRIMARY KEY, thread_id TEXT NOT NULL, author TEXT NOT NULL, author_id TEXT,
      conn TEXT, body TEXT NOT NULL, created_at INTEGER NOT NULL, edited_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS comments_by_thread ON comments (thread_id, created_at);
    CREATE TABLE IF NOT EXISTS thread_tombstones (id TEXT PRIMARY KEY, changed INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS comment_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
  `);
  const has = (table: string, column: string) =>
    sql
      .exec<{ name: string }>(`PRAGMA table_info(${table})`)
      .toArray()
      .some((c) => c.name === column);
  if (!has("comments", "kind")) {
    sql.exec("ALTER TABLE comments ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'");
    // The AI posted without a key and from no socket; so could a person calling
    // themselves AI over HTTP, which is why new comments store their kind.
    sql.exec("UPDATE comments SET kind = 'ai' WHERE author = 'AI' AND author_id IS NULL AND conn IS NULL");
  }
  if (!has("threads", "changed")) {
    sql.exec("ALTER TABLE threads ADD COLUMN changed INTEGER NOT NULL DEFAULT 0");
    const ids = sql.exec<{ id: string }>("SELECT id FROM threads ORDER BY created_at, id").toArray();
    for (const [i, r] of ids.entries()) sql.exec("UPDATE threads SET changed = ? WHERE id = ?", i + 1, r.id);
    sql.exec("INSERT INTO comment_meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", SEQ_KEY, ids.length);
  }
  sql.exec("CREATE INDEX IF NOT EXISTS threads_by_change ON threads (changed)");
}

export interface RawThread extends Record<string, SqlStorageValue> {
  id: string;
  status: string;
  quote: string;
  created_at: number;
  changed: number;
}

export const toThread = (r: RawThread): ThreadRow => ({
  id: r.id,
  status: r.status === "resolved" ? "resolved" : "open",
  quote: r.quote,
  createdAt: r.created_at,
  changed: r.changed,
});

export interface RawComment extends Record<string, SqlStorageValue> {
  pos: number;
  id: string;
  thread_id: string;
  author: string;
  author_id: string | null;
  kind: string;
  conn: string | null;
  body: string;
  created_at: number;
  edited_at: number | null;
}

export const toComment = (r: RawComment): PlacedComment => ({
  pos: r.pos,
  id: r.id,
  threadId: r.thread_id,
  author: r.author,
  authorId: r.author_id,
  kind: (r.kind === "ai" ? "ai" : "person") satisfies CommentKind,
  conn: r.conn,
  body: r.body,
  createdAt: r.created_at,
  editedAt: r.edited_at,
});
