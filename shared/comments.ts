/**
 * Comment threads: the shapes of the threads API (HTTP) and of the live messages on
 * the document socket. Threads are stored by the Durable Object (SQLite), not in the
 * Y.Doc; the document holds only their anchors, a `comment` mark with the thread id.
 */
import { z } from "zod";
import { MAX_AUTHOR_CHARS, MAX_COMMENT_BODY_CHARS, MAX_QUOTE_CHARS } from "./limits";

/** The mark that anchors a thread in the text (see shared/schema-comment.ts). */
export const COMMENT_MARK = "comment";

export const threadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/);
export const isThreadId = (v: unknown): v is string => threadIdSchema.safeParse(v).success;

/** A per-browser secret (localStorage) that makes a comment "own": the server keeps
 * only its SHA-256 and answers with the first 16 hex digits as `authorId`, so a
 * browser recognises its comments and only it can edit or delete them. */
export const authorKeySchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

const connectionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const body = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, "a comment must not be blank").max(MAX_COMMENT_BODY_CHARS));
const author = z
  .string()
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(z.string().max(MAX_AUTHOR_CHARS));

/** What a live `thread-changed` message reports. */
export const THREAD_CHANGES = ["created", "replied", "status", "edited", "deleted"] as const;
export type ThreadChange = (typeof THREAD_CHANGES)[number];

export const THREAD_STATUSES = ["open", "resolved", "detached"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export const createThreadRequestSchema = z
  .object({
    quote: z.string().min(1).max(MAX_QUOTE_CHARS),
    /** Which occurrence of `quote` to anchor to (0 = the first), counted within the
     * document's texts in order; the browser sends the one the person selected. */
    occurrence: z.number().int().min(0).max(100_000).optional(),
    body,
    author: author.optional(),
    authorKey: authorKeySchema.optional(),
    /** The sender's socket (from its welcome), recorded with the comment when live. */
    connectionId: connectionIdSchema.optional(),
  })
  .strict();
export type CreateThreadRequest = z.infer<typeof createThreadRequestSchema>;

export const addCommentRequestSchema = z
  .object({ body, author: author.optional(), authorKey: authorKeySchema.optional(), connectionId: connectionIdSchema.optional() })
  .strict();
export type AddCommentRequest = z.infer<typeof addCommentRequestSchema>;

export const patchThreadRequestSchema = z.object({ status: z.enum(["open", "resolved"]) }).strict();
export type PatchThreadRequest = z.infer<typeof patchThreadRequestSchema>;

export const editCommentRequestSchema = z.object({ body, authorKey: authorKeySchema }).strict();
export const deleteCommentRequestSchema = z.object({ authorKey: authorKeySchema }).strict();

export const commentSchema = z.object({
  id: z.string(),
  author: z.string(),
  /** First 16 hex digits of SHA-256(authorKey); null for comments without a key (AI). */
  authorId: z.string().nullable(),
  body: z.string(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
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
