/**
 * What GET …/threads and GET …/threads/<t> answer: never the whole list. A list is the
 * threads changed after the client's cursor, each as a summary (its first and newest
 * comments, and a count), a page at a time; a thread's comments come a page at a time
 * too. Pages are cut by their encoded size (THREADS_PAGE_BYTES), so an answer stays
 * small whatever the document holds. (After a flood of 2,000 comments of 10,000
 * characters the single list answer was 19.3 MiB, re-read by every client on every
 * change.)
 */
import type * as Y from "yjs";
import type { Comment, Thread, ThreadResponse, ThreadsResponse } from "../../shared/comments";
import { MAX_QUOTE_CHARS, MAX_THREADS_PER_PAGE, THREAD_SUMMARY_COMMENTS, THREADS_PAGE_BYTES } from "../../shared/limits";
import { anchoredQuotes } from "./anchor";
import type { CommentRow, ThreadRow, ThreadStore } from "./store";

const utf8 = new TextEncoder();
const sizeOf = (v: unknown): number => utf8.encode(JSON.stringify(v)).byteLength;
/** Comments read from SQLite at a time while filling a page. */
const COMMENT_BATCH = 20;

export const publicComment = ({ id, author, authorId, kind, body, createdAt, editedAt }: CommentRow): Comment => ({
  id,
  author,
  authorId,
  kind,
  body,
  createdAt,
  editedAt,
});

export class ThreadReader {
  constructor(
    private readonly store: ThreadStore,
    private readonly doc: () => Y.Doc,
  ) {}

  /** The threads changed after `since` (0: all), a page of them. */
  page(since: number): ThreadsResponse {
    const reset = since > 0 && since < this.store.tombstoneFloor();
    const from = reset ? 0 : Math.max(0, since);
    const rows = this.store.changedSince(from, MAX_THREADS_PER_PAGE + 1);
    const quotes = anchoredQuotes(this.doc());
    const threads: Thread[] = [];
    let bytes = 0;
    for (const row of rows.slice(0, MAX_THREADS_PER_PAGE)) {
      const t = this.summary(row, quotes);
      const size = sizeOf(t);
      if (threads.length > 0 && bytes + size > THREADS_PAGE_BYTES) break;
      threads.push(t);
      bytes += size;
    }
    const more = threads.length < rows.length;
    const cursor = more ? threads.at(-1)!.changed : this.store.seq();
    return {
      threads,
      // A first read (or a reset) has nothing to drop.
      deleted: from === 0 ? [] : this.store.deletedBetween(from, cursor),
      cursor,
      more,
      reset,
      counts: this.store.statusCounts(),
    };
  }

  /** One thread and a page of its comments after position `after`; null if none. */
  thread(id: string, after: number): ThreadResponse | null {
    const row = this.store.thread(id);
    if (!row) return null;
    const thread = this.summary(row, anchoredQuotes(this.doc()));
    const comments: Comment[] = [];
    let bytes = sizeOf(thread);
    let pos = after;
    let full = false;
    while (!full) {
      const batch = this.store.comments(id, pos, COMMENT_BATCH);
      for (const c of batch) {
        const view = publicComment(c);
        const size = sizeOf(view);
        if (comments.length > 0 && bytes + size > THREADS_PAGE_BYTES) {
          full = true;
          break;
        }
        comments.push(view);
        bytes += size;
        pos = c.pos;
      }
      if (batch.length < COMMENT_BATCH) break;
    }
    const next = full || this.store.comments(id, pos, 1).length > 0 ? String(pos) : null;
    return { thread, comments, next };
  }

  /** A thread as a list shows it. Refreshes the remembered quote. */
  one(id: string): Thread | null {
    const row = this.store.thread(id);
    return row ? this.summary(row, anchoredQuotes(this.doc())) : null;
  }

  private summary(t: ThreadRow, quotes: Map<string, string>): Thread {
    const now = quotes.get(t.id);
    if (now !== undefined) this.store.setQuote(t.id, now);
    return {
      id: t.id,
      // A resolved thread stays resolved; an open one whose text is gone is detached.
      status: t.status === "resolved" ? "resolved" : now === undefined ? "detached" : "open",
      quote: (now ?? t.quote).slice(0, MAX_QUOTE_CHARS),
      createdAt: t.createdAt,
      changed: t.changed,
      commentCount: this.store.commentCount(t.id),
      comments: this.store.summaryComments(t.id, THREAD_SUMMARY_COMMENTS).map(publicComment),
    };
  }
}
