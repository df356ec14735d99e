/**
 * Comment threads: the shapes of the threads API (HTTP) and of the live messages on
 * the document socket. Threads are stored by the Durable Object (SQLite, copied to R2
 * with the snapshots), not in the Y.Doc; the document holds only their anchors, a
 * `comment` mark with the thread id.
 */
import { z } from "zod";
import { MAX_AUTHOR_CHARS, MAX_COMMENT_BODY_CHARS, MAX_QUOTE_CHARS } from "./limits";
import { wellFormed } from "./text";

/** The mark that anchors a thread in the text (see shared/schema-comment.ts). */
export const COMMENT_MARK = "comment";

export const threadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/);
export const isThreadId = (v: unknown): v is string => threadIdSchema.safeParse(v).success;

/** A per-browser secret (localStorage) that makes a comment "own": the server keeps
 * only its SHA-256 and answers with the first 16 hex digits as `authorId`, so a
 * browser recognises its comments and only it (or the owner) can change them. */
export const authorKeySchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

const connectionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

// ---------------------------------------------------------------- text at the boundary

/** C0 controls but tab and newline, and DEL: nobody types them, and each costs six
 * bytes once escaped in JSON (an answer's size bound counts on three at most). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** A comment's text as stored: well-formed (no half surrogate pairs), line ends as
 * "\n", no control characters, trimmed. */
export function cleanBody(s: string): string {
  return wellFormed(s).replace(/\r\n?/g, "\n").replace(CONTROLS, "").trim();
}

/** Invisible characters that change how a name reads without showing: zero-width
 * spaces and joiners' neighbours, bidi overrides and isolates, the soft hyphen. */
const HIDDEN_IN_NAMES = /[\u00ad\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** An author name as stored: well-formed, no hidden characters, spaces collapsed. */
export function cleanAuthor(s: string): string {
  return wellFormed(s).replace(CONTROLS, "").replace(HIDDEN_IN_NAMES, "").replace(/\s+/g, " ").trim();
}

/** The name the AI's comments carry. Nobody else may: see `personName`. */
export const AI_NAME = "AI";

/** Letters from other scripts that look like the Latin ones of "AI". */
const LOOKALIKES: Record<string, string> = {
  а: "a", // Cyrillic
  α: "a", // Greek
  ɑ: "a", // Latin alpha
  і: "i", // Cyrillic (Ukrainian)
  ӏ: "i", // Cyrillic palochka
  ι: "i", // Greek
  ı: "i", // dotless i
  "|": "i",
};
/** Everything that does not read as a letter: spaces of every kind, zero-width and
 * other format characters, combining marks, punctuation, symbols, Hangul fillers. */
const NOT_LETTERS = /[\s\p{Z}\p{C}\p{M}\p{P}\p{S}\u115f\u1160\u3164\uffa0]/gu;

/** Whether a name reads as "AI": any case, any spacing, zero-width or punctuation
 * between the letters ("A I", "a\u200bi", "A.I."), full-width, styled or accented
 * forms (NFKD, marks dropped), and the look-alike letters above. ("Al", with a
 * lower-case L, is a name.) */
export function isReservedName(name: string): boolean {
  const key = [...name.normalize("NFKD").toLowerCase()].map((c) => LOOKALIKES[c] ?? c).join("");
  return key.replace(NOT_LETTERS, "") === "ai";
}

/** The name a person's comment is stored under: one that reads as "AI" is kept but
 * marked, "AI (person)", so it can never pass for the assistant (whose comments also
 * carry `kind: "ai"`, which is what the panel styles by). */
export function personName(name: string): string {
  return isReservedName(name) ? `${name} (person)` : name;
}

const body = z.string().transform(cleanBody).pipe(z.string().min(1, "a comment must not be blank").max(MAX_COMMENT_BODY_CHARS));
const author = z.string().transform(cleanAuthor).pipe(z.string().max(MAX_AUTHOR_CHARS));

// ---------------------------------------------------------------- requests

/** What a live `thread-changed` message reports. `removed`: the thread was deleted. */
export const THREAD_CHANGES = ["created", "replied", "status", "edited", "deleted", "removed"] as const;
export type ThreadChange = (typeof THREAD_CHANGES)[number];

export const THREAD_STATUSES = ["open", "resolved", "detached"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

/** Who wrote a comment: a person, or the AI answering "@AI". */
export const COMMENT_KINDS = ["person", "ai"] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

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
export type CreateThreadRequest = z.input<typeof createThreadRequestSchema>;

export const addCommentRequestSchema = z
  .object({ body, author: author.optional(), authorKey: authorKeySchema.optional(), connectionId: connectionIdSchema.optional() })
  .strict();
export type AddCommentRequest = z.input<typeof addCommentRequestSchema>;

export const patchThreadRequestSchema = z.object({ status: z.enum(["open", "resolved"]) }).strict();
export type PatchThreadRequest = z.infer<typeof patchThreadRequestSchema>;

export const editCommentRequestSchema = z.object({ body, authorKey: authorKeySchema }).strict();
/** Deleting: the author presents their key; the owner link needs none. */
export const deleteRequestSchema = z.object({ authorKey: authorKeySchema.optional() }).strict();

// ---------------------------------------------------------------- answers

export const commentSchema = z.object({
  id: z.string(),
  author: z.string(),
  /** First 16 hex digits of SHA-256(authorKey); null for comments without a key (AI). */
  authorId: z.string().nullable(),
  kind: z.enum(COMMENT_KINDS),
  body: z.string(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
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
  next: z.string().nullable(),
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
