/** Shapes of Quire's HTTP API, shared by the Worker and the client. */
import * as z from "zod/mini";
import { AI_POLICIES } from "./ai";
import { MAX_TITLE_CHARS } from "./limits";
import { wellFormed } from "./text";
import { ROLES } from "./protocol";
import { issuedLinksSchema, type LinkKind, linkStatesSchema, markdownSchema } from "./sharing";

export const createDocRequestSchema = z.strictObject({
  title: z.optional(z.string().check(z.trim(), z.maxLength(MAX_TITLE_CHARS), z.overwrite(wellFormed))),
  /** Starting content, parsed through the editor schema on the server. */
  markdown: z.optional(markdownSchema),
});
export type CreateDocRequest = z.infer<typeof createDocRequestSchema>;

export const createDocResponseSchema = z.object({
  id: z.string(),
  title: z.string(),
  ownerToken: z.string(),
  editToken: z.string(),
  commentToken: z.string(),
  viewToken: z.string(),
  ownerUrl: z.string(),
  editUrl: z.string(),
  commentUrl: z.string(),
  viewUrl: z.string(),
});
export type CreateDocResponse = z.infer<typeof createDocResponseSchema>;

export const docInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  role: z.enum(ROLES),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** The owner's AI policy for the document (worker/ai/policy.ts); a server from
   * before policies sends none, which means "on". */
  ai: z._default(z.enum(AI_POLICIES), "on"),
  /** Which share links work; sent to the owner only. */
  links: z.optional(linkStatesSchema),
});
export type DocInfo = z.infer<typeof docInfoSchema>;

/** GET /api/docs/<id>/access: what a token opens, always answered 200 (a refused or
 * unknown token and a deleted document are answers here, not errors), so a browser can
 * check the tokens it holds without a failed request for each stale one. */
export const accessAnswerSchema = z.discriminatedUnion("access", [
  z.object({ access: z.literal("open"), info: docInfoSchema }),
  z.object({ access: z.literal("refused") }),
  z.object({ access: z.literal("missing") }),
  z.object({ access: z.literal("deleted") }),
]);
export type AccessAnswer = z.infer<typeof accessAnswerSchema>;

/** GET /api/docs/<id>/links (owner only): the share links as they are now, in any
 * browser. `url` is null for a link that is on but whose token the server cannot give
 * back (issued before tokens were sealed): resetting it gives one. */
export const shareLinkSchema = z.object({ state: z.enum(["on", "off"]), url: z.nullable(z.string()) });
export const shareLinksSchema = z.object({ edit: shareLinkSchema, comment: shareLinkSchema, view: shareLinkSchema });
export type ShareLinks = z.infer<typeof shareLinksSchema>;

/** PATCH answers with the document as it now is, plus any link it turned back on. */
export const patchDocResponseSchema = z.extend(docInfoSchema, { issued: z.optional(issuedLinksSchema) });
export type PatchDocResponse = z.infer<typeof patchDocResponseSchema>;

export const EXPORT_FORMATS = ["md", "html", "txt", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const isExportFormat = (v: string | null): v is ExportFormat => v !== null && (EXPORT_FORMATS as readonly string[]).includes(v);

/** Everything GET …/export serves: the text formats above, plus Word (built in the
 * Durable Object with the uploaded images embedded). */
export const DOWNLOAD_FORMATS = [...EXPORT_FORMATS, "docx"] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];
export const isDownloadFormat = (v: string | null): v is DownloadFormat =>
  v !== null && (DOWNLOAD_FORMATS as readonly string[]).includes(v);
export const DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export const DEFAULT_TITLE = "Untitled document";

/** The Yjs names Quire's document uses. Content is Tiptap Collaboration's default
 * XmlFragment so any standard Yjs/Tiptap client can read it. */
export const YDOC_CONTENT_FIELD = "default";
export const YDOC_META_MAP = "meta";
export const YDOC_META_TITLE = "title";

/** Share links carry the token in the fragment so it never reaches a server log. */
export function shareUrl(origin: string, id: string, kind: LinkKind, token: string): string {
  return `${origin}/d/${id}#${kind}=${token}`;
}

/** Every `error` code an HTTP answer from Quire can carry. The status says the class
 * (400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 500, 503, as in HTTP); the code says
 * which case, for a program to act on. */
export const HTTP_ERROR_CODES = [
  "bad-body",
  "bad-format",
  "bad-id",
  "bad-json",
  "bad-markdown",
  "bad-request",
  "cannot-restore",
  "document-too-large",
  "empty",
  "exists",
  "export-failed",
  "file-too-large",
  "files-full",
  "forbidden",
  "gone",
  // The owner turned AI off for the document (worker/ai/policy.ts).
  "ai-off",
  "internal",
  "load-failed",
  "method-not-allowed",
  "not-found",
  "not-named",
  "rate-limited",
  "read-only",
  "restarting",
  "storage-unavailable",
  "too-large",
  "too-many-uploads",
  "too-many-versions",
  "unauthorized",
  "unavailable",
  "unsupported-type",
  "upgrade-required",
  // Threads (worker/comments/threads.ts)
  "too-many-threads",
  "quote-not-found",
  "too-many-comments",
  "not-yours",
  "comments-full",
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export interface ErrorBody {
  error: HttpErrorCode;
  message: string;
}
