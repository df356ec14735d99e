/**
 * What a comment request may carry (the threads API, docs/COMMENTS.md), and how its text
 * is cleaned at the boundary: the server parses every request with these. The page
 * sends them (types only); it reads answers with shared/comments.ts.
 */
import * as z from "zod/mini";
import { MAX_AUTHOR_CHARS, MAX_COMMENT_BODY_CHARS, MAX_QUOTE_CHARS } from "./limits";
import { wellFormed } from "./text";

/** A per-browser secret (localStorage) that makes a comment "own": the server keeps
 * only its SHA-256 and answers with the first 16 hex digits as `authorId`, so a
 * browser recognises its comments and only it (or the owner) can change them. */
export const authorKeySchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/));

const connectionIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/));

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

const body = z.string().check(z.overwrite(cleanBody), z.minLength(1, "a comment must not be blank"), z.maxLength(MAX_COMMENT_BODY_CHARS));
const author = z.string().check(z.overwrite(cleanAuthor), z.maxLength(MAX_AUTHOR_CHARS));

// ---------------------------------------------------------------- requests

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
export type CreateThreadRequest = z.input<typeof createThreadRequestSchema>;

export const addCommentRequestSchema = z.strictObject({
  body,
  author: z.optional(author),
  authorKey: z.optional(authorKeySchema),
  connectionId: z.optional(connectionIdSchema),
});
export type AddCommentRequest = z.input<typeof addCommentRequestSchema>;

export const patchThreadRequestSchema = z.strictObject({ status: z.enum(["open", "resolved"]) });
export type PatchThreadRequest = z.infer<typeof patchThreadRequestSchema>;

export const editCommentRequestSchema = z.strictObject({ body, authorKey: authorKeySchema });
/** Deleting: the author presents their key; the owner link needs none. */
export const deleteRequestSchema = z.strictObject({ authorKey: z.optional(authorKeySchema) });
