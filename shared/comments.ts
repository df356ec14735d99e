/**
 * Comment threads: the shapes of the threads API (HTTP) and of the live messages on
 * the document socket. Threads are stored by the Durable Object (SQLite), not in the
 * Y.Doc; the document holds only their anchors, a `comment` mark with the thread id.
 */
import * as z from "zod/mini";
import { MAX_AUTHOR_CHARS, MAX_COMMENT_BODY_CHARS, MAX_QUOTE_CHARS } from "./limits";

/** The mark that anchors a thread in the text (see shared/schema-comment.ts). */
export const COMMENT_MARK = "comment";

export const threadIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,32}$/));
export const isThreadId = (v: unknown): v is string => threadIdSchema.safeParse(v).success;

/** A per-browser secret (localStorage) that makes a comment "own": the server keeps
 * only its SHA-256 and answers with the first 16 hex digits as `authorId`, so a
 * browser recognises its comments and only it can edit or delete them. */
export const authorKeySchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/));

const connectionIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/));

const body = z.string().check(z.trim(), z.minLength(1, "a comment must not be blank"), z.maxLength(MAX_COMMENT_BODY_CHARS));
const author = z.string().check(
  z.overwrite((s) => s.replace(/\s+/g, " ").trim()),
  z.maxLength(MAX_AUTHOR_CHARS),
);

/** What a live `thread-changed` message reports. */
export const THREAD_CHANGES = ["created", "replied", "status", "edited", "deleted"] as const;
export type ThreadChange = (typeof THREAD_CHANGES)[number];

export const THREAD_STATUSES = ["open", "resolved", "detached"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export const createThreadRequestSchema = z.strictObject({
  quote: z.string().check(z.minLength(1), z.maxLength(MAX_QUOTE_CHARS)),
  /** Which occurrence of `quote` to anchor to (0 = the first), counted within the
   * document's texts in order; the browser sends the one the person selected. */
  occurrence: z.optional(z.int().check(z.minimum(0), z.maximum(100_000))),
  body,
  author: z.optional(author),
  authorKey: z.optional(authorKeySchema),
  /** The sender's socket (from its welcome), recorded with the comment when live. */
  connectionId: z.optional(connectionIdSchema),
});
export type CreateThreadRequest = z.infer<typeof createThreadRequestSchema>;

export const addCommentRequestSchema = z.strictObject({
  body,
  author: z.optional(author),
  authorKey: z.optional(authorKeySchema),
  connectionId: z.optional(connectionIdSchema),
});
export type AddCommentRequest = z.infer<typeof addCommentRequestSchema>;

export const patchThreadRequestSchema = z.strictObject({ status: z.enum(["open", "resolved"]) });
export type PatchThreadRequest = z.infer<typeof patchThreadRequestSchema>;

export const editCommentRequestSchema = z.strictObject({ body, authorKey: authorKeySchema });
export const deleteCommentRequestSchema = z.strictObject({ authorKey: authorKeySchema });

export const commentSchema = z.object({
  id: z.string(),
  author: z.string(),
  /** First 16 hex digits of SHA-256(authorKey); null for comments without a key (AI). */
  authorId: z.nullable(z.string()),
  body: z.string(),
  createdAt: z.number(),
  editedAt: z.nullable(z.number()),
});
export type Comment = z.infer<typeof commentSchema>;

export const threadSchema = z.object({
  id: z.string(),
  status: z.enum(THREAD_STATUSES),
  /** The anchored text as it reads now; for a detached thread, the last text it had. */
  quote: z.string(),
  createdAt: z.number(),
  comments: z.array(commentSchema),
});
export type Thread = z.infer<typeof threadSchema>;

export const threadsResponseSchema = z.object({ threads: z.array(threadSchema) });
export type ThreadsResponse = z.infer<typeof threadsResponseSchema>;

/** The id a browser shows as "mine": derived from its secret author key. */
export async function authorIdOf(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, 16);
}
