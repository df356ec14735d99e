/**
 * Comment threads: the shapes of the threads API (HTTP) and of the live messages on
 * the document socket. Threads are stored by the Durable Object (SQLite, copied to R2
 * with the snapshots), not in the Y.Doc; the document holds only their anchors, a
 * `comment` mark with the thread id. What requests may carry, and how their text is
 * cleaned, is in shared/comment-input.ts (the server's side; the page needs only this).
 */
import * as z from "zod/mini";

/** The mark that anchors a thread in the text (see shared/schema-comment.ts). */
export const COMMENT_MARK = "comment";

export const threadIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,32}$/));
export const isThreadId = (v: unknown): v is string => threadIdSchema.safeParse(v).success;

/** What a live `thread-changed` message reports. `removed`: the thread was deleted. */
export const THREAD_CHANGES = ["created", "replied", "status", "edited", "deleted", "removed"] as const;
export type ThreadChange = (typeof THREAD_CHANGES)[number];

export const THREAD_STATUSES = ["open", "resolved", "detached"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

/** Who wrote a comment: a person, or the AI answering "@AI". */
export const COMMENT_KINDS = ["person", "ai"] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

// ---------------------------------------------------------------- answers

export const commentSchema = z.object({
  id: z.string(),
  author: z.string(),
  /** First 16 hex digits of SHA-256(authorKey); null for comments without a key (AI). */
  authorId: z.nullable(z.string()),
  kind: z.enum(COMMENT_KINDS),
  body: z.string(),
  createdAt: z.number(),
  editedAt: z.nullable(z.number()),
});
export type Comment = z.infer<typeof commentSchema>;

/** A thread as lists show it: its first comment and the newest ones (at most
 * THREAD_SUMMARY_COMMENTS, in order), and how many it has in all. */
export const threadSchema = z.object({
  id: z.string(),
  status: z.enum(THREAD_STATUSES),
  /** The anchored text as it reads now; for a detached thread, the last text it had. */
  quote: z.string(),
  createdAt: z.number(),
  /** The document's change counter when this thread last changed (see `since`). */
  changed: z.number(),
  commentCount: z.number(),
  comments: z.array(commentSchema),
});
export type Thread = z.infer<typeof threadSchema>;

/** GET …/threads[?since=<cursor>]: the threads that changed after `since` (all, from 0),
 * in the order they changed, a page at a time (`more`: ask again with `since=cursor`),
 * and the ids of threads deleted meanwhile. `reset`: `since` was older than what the
 * server remembers of deletions; drop everything known and use this answer. */
export const threadsResponseSchema = z.object({
  threads: z.array(threadSchema),
  deleted: z.array(z.string()),
  cursor: z.number(),
  more: z.boolean(),
  reset: z.boolean(),
  /** Threads in the whole document: not resolved (open or detached), and resolved. */
  counts: z.object({ open: z.number(), resolved: z.number() }),
});
export type ThreadsResponse = z.infer<typeof threadsResponseSchema>;

/** GET …/threads/<t>[?after=<next>]: the thread and a page of its comments, oldest first. */
export const threadResponseSchema = z.object({
  thread: threadSchema,
  comments: z.array(commentSchema),
  /** Pass as `after` for the next page; null when this page is the last. */
  next: z.nullable(z.string()),
});
export type ThreadResponse = z.infer<typeof threadResponseSchema>;

export const deletedResponseSchema = z.object({
  id: z.string(),
  deleted: z.literal(true),
  /** Deleting a thread's last comment deletes the thread (and its anchor). */
  threadDeleted: z.boolean(),
});
export type DeletedResponse = z.infer<typeof deletedResponseSchema>;

/** The id a browser shows as "mine": derived from its secret author key. */
export async function authorIdOf(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, 16);
}
