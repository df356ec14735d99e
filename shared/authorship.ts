/**
 * Who wrote what: the answers of `GET /api/docs/<id>/authorship` and
 * `GET /api/docs/<id>/versions/<a>/compare?to=<b|current>`. Authors are recorded by
 * the server per Yjs client id (worker/room/client-ids.ts, ai-attribution.ts); nothing
 * in the Y.Doc names them, so no client can forge them.
 */
import * as z from "zod/mini";

export const AuthorKind = { Person: "person", Ai: "ai" } as const;
export type AuthorKind = (typeof AuthorKind)[keyof typeof AuthorKind];

/** How an accepted AI answer landed in the document. */
export const AI_LANDINGS = ["replace", "insert", "suggestion"] as const;
export type AiLanding = (typeof AI_LANDINGS)[number];

/** Text whose client id the server has no record of (written before records began). */
export const UNKNOWN_AUTHOR_ID = "unknown";

export interface Author {
  /** Stable within a document: `p-…` for a person (per browser), `ai-…` per accepted answer. */
  id: string;
  name: string;
  kind: AuthorKind;
  /** The link a person wrote with. */
  link?: "owner" | "edit";
  /** For AI text: the model, the command, who asked, who accepted, how and when. */
  model?: string;
  command?: string;
  requestedBy?: string;
  acceptedBy?: string;
  landing?: AiLanding;
  /** When the author first wrote (a person) or the answer was accepted (AI), ms since epoch. */
  at?: number;
  /** In answers: the Yjs client ids of this author's text there. */
  clients?: number[];
}

export interface AuthorshipRun {
  text: string;
  /** An `Author.id` of the same answer. */
  author: string;
}

/** One per paragraph, heading, list item or table cell, as the plain-text export has them. */
export interface AuthorshipBlock {
  text: string;
  runs: AuthorshipRun[];
}

export interface AuthorshipAnswer {
  authors: Author[];
  blocks: AuthorshipBlock[];
}

export const CompareOp = { Insert: "insert", Delete: "delete" } as const;
export type CompareOp = (typeof CompareOp)[keyof typeof CompareOp];

export interface CompareChange {
  op: CompareOp;
  text: string;
  /** Who inserted it; for a deletion, who deleted it when the server recorded that. */
  author?: string;
}

// ---------------------------------------------------------------- parsers (the client's)

const authorSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum([AuthorKind.Person, AuthorKind.Ai]),
  link: z.optional(z.enum(["owner", "edit"])),
  model: z.optional(z.string()),
  command: z.optional(z.string()),
  requestedBy: z.optional(z.string()),
  acceptedBy: z.optional(z.string()),
  landing: z.optional(z.enum(AI_LANDINGS)),
  at: z.optional(z.number()),
  /** The Yjs client ids of this author's text in the answer: the editor colours someone
   * present (whose presence is keyed by client id) as their caret. */
  clients: z.optional(z.array(z.number())),
});

export const authorsSchema = z.array(authorSchema);

export const authorshipAnswerSchema = z.object({
  authors: authorsSchema,
  blocks: z.array(z.object({ text: z.string(), runs: z.array(z.object({ text: z.string(), author: z.string() })) })),
});
