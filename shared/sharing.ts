/**
 * Sharing: the links that open a document, and the shapes of the API calls that
 * manage them. Shared by the Worker, the Durable Object and the client.
 *
 * Four secrets open a document: the owner token (given once to the creator; manages
 * sharing, edits), the edit link, the comment link (reads and comments, cannot edit)
 * and the view link. The owner can reset (rotate) or turn off the edit, comment and
 * view links; either cuts every live connection that used them.
 */
import * as z from "zod/mini";
import { AI_POLICIES } from "./ai";
import { MAX_IMPORT_MARKDOWN_BYTES, MAX_TITLE_CHARS } from "./limits";
import { wellFormed } from "./text";

export const LINK_KINDS = ["owner", "edit", "comment", "view"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** The links the owner hands out (and can reset or turn off). */
export const SHARE_LINK_KINDS = ["edit", "comment", "view"] as const;
export type ShareLinkKind = (typeof SHARE_LINK_KINDS)[number];
export const isShareLinkKind = (v: string): v is ShareLinkKind => (SHARE_LINK_KINDS as readonly string[]).includes(v);

export const LINK_SWITCH = ["on", "off"] as const;
export type LinkSwitch = (typeof LINK_SWITCH)[number];

export const linkStatesSchema = z.object({
  edit: z.enum(LINK_SWITCH),
  comment: z.enum(LINK_SWITCH),
  view: z.enum(LINK_SWITCH),
});
export type LinkStates = z.infer<typeof linkStatesSchema>;

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).byteLength;

export const markdownSchema = z.string().check(
  z.refine((s) => utf8Bytes(s) <= MAX_IMPORT_MARKDOWN_BYTES, `markdown is limited to ${MAX_IMPORT_MARKDOWN_BYTES} bytes`),
  z.overwrite(wellFormed),
);

/** A title someone sets on purpose: one line, not blank, not over the limit. */
export const titleSchema = z.string().check(
  z.overwrite((s) => wellFormed(s.replace(/\s+/g, " ").trim())),
  z.minLength(1, "title must not be blank"),
  z.maxLength(MAX_TITLE_CHARS),
);

/** PATCH /api/docs/<id>: an owner or editor may rename; only the owner switches links
 * and sets the AI policy. */
export const patchDocRequestSchema = z
  .strictObject({
    title: z.optional(titleSchema),
    editLink: z.optional(z.enum(LINK_SWITCH)),
    commentLink: z.optional(z.enum(LINK_SWITCH)),
    viewLink: z.optional(z.enum(LINK_SWITCH)),
    ai: z.optional(z.enum(AI_POLICIES)),
  })
  .check(
    z.refine(
      (b) =>
        b.title !== undefined || b.editLink !== undefined || b.commentLink !== undefined || b.viewLink !== undefined || b.ai !== undefined,
      "nothing to change: send title, editLink, commentLink, viewLink or ai",
    ),
  );
export type PatchDocRequest = z.infer<typeof patchDocRequestSchema>;

/** A freshly issued link: shown to the owner, never stored on the server (only its hash). */
export const issuedLinkSchema = z.object({ token: z.string(), url: z.string() });
export type IssuedLink = z.infer<typeof issuedLinkSchema>;

/** Links a PATCH turned back on: a link that was off comes back with a new token, so
 * a link that was once cut never starts working again. */
export const issuedLinksSchema = z.object({
  edit: z.optional(issuedLinkSchema),
  comment: z.optional(issuedLinkSchema),
  view: z.optional(issuedLinkSchema),
});

/** PUT /api/docs/<id>/content */
export const CONTENT_MODES = ["append", "replace"] as const;
export const putContentRequestSchema = z.strictObject({ markdown: markdownSchema, mode: z.enum(CONTENT_MODES) });
export type PutContentRequest = z.infer<typeof putContentRequestSchema>;

/** Close reasons the browser shows; codes are in close-codes.ts. */
export const CloseReason = {
  LinkRevoked: "link revoked",
  DocumentDeleted: "document deleted",
} as const;
