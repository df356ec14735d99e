/**
 * Every call the client makes to Quire's HTTP API, with one error type. Tokens go in
 * the Authorization header, never in a URL, so they stay out of logs and history.
 * Answers are checked with the shared zod shapes.
 */
import { aiActivitySchema, type AiActivityAnswer } from "../../../shared/ai-activity";
import { docHealthSchema, type DocHealth } from "../../../shared/health";
import {
  accessAnswerSchema,
  createDocResponseSchema,
  docInfoSchema,
  patchDocResponseSchema,
  shareLinksSchema,
  type AccessAnswer,
  type CreateDocResponse,
  type DocInfo,
  type DownloadFormat,
  type PatchDocResponse,
  type ShareLinks,
} from "../../../shared/api";
import { authorshipAnswerSchema, type AuthorshipAnswer } from "../../../shared/authorship";
import { uploadFileResponseSchema, type UploadFileResponse } from "../../../shared/files";
import type { AddCommentRequest, CreateThreadRequest } from "../../../shared/comment-input";
import {
  type Comment,
  type DeletedResponse,
  type Thread,
  type ThreadResponse,
  type ThreadsResponse,
  commentSchema,
  deletedResponseSchema,
  threadResponseSchema,
  threadSchema,
  threadsResponseSchema,
} from "../../../shared/comments";
import { issuedLinkSchema, type IssuedLink, type LinkKind, type PatchDocRequest, type ShareLinkKind } from "../../../shared/sharing";
import {
  rebuildResponseSchema,
  restoreResponseSchema,
  type CompareResponse,
  compareResponseSchema,
  versionListSchema,
  versionSchema,
  type RebuildResponse,
  type RestoreResponse,
  type Version,
} from "../../../shared/versions";

/** A failed call: the HTTP status (0 when the server was not reached), so callers can
 * tell "gone" from "forbidden", and the server's error code when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Schema<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false };
}

interface CallInit {
  method?: string;
  token?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (a file), with its own type. */
  body?: Blob;
}

async function send(path: string, init: CallInit & { signal?: AbortSignal }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  if (init.body) headers["content-type"] = init.body.type;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      signal: init.signal,
    });
  } catch {
    throw new ApiError(0, "Could not reach the server. Check your connection and try again.");
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: unknown; error?: unknown } | null;
    const message = typeof body?.message === "string" ? body.message : `HTTP ${res.status}`;
    throw new ApiError(res.status, message, typeof body?.error === "string" ? body.error : undefined);
  }
  return res;
}

async function call<T>(path: string, init: CallInit & { signal?: AbortSignal }, schema: Schema<T>): Promise<T> {
  const res = await send(path, init);
  const parsed = schema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new ApiError(res.status, "The server answered with an unexpected shape");
  return parsed.data;
}

const anything: Schema<unknown> = { safeParse: (v) => ({ success: true, data: v }) };
const nothing: Schema<void> = { safeParse: () => ({ success: true, data: undefined }) };

// ---------------------------------------------------------------- documents

export const createDocument = (opts: { title?: string; markdown?: string } = {}): Promise<CreateDocResponse> =>
  call("/api/docs", { method: "POST", json: opts }, createDocResponseSchema);

export const getDocInfo = (id: string, token: string): Promise<DocInfo> => call(`/api/docs/${id}`, { token }, docInfoSchema);

/** What a token opens (the document, nothing, or that it is gone): always a 200 from the
 * server, so checking a stale token is not a failed request. */
export const checkAccess = (id: string, token: string, signal?: AbortSignal): Promise<AccessAnswer> =>
  call(`/api/docs/${id}/access`, { token, signal }, accessAnswerSchema);

/** The share links as they are now (owner only). */
export const getShareLinks = (id: string, token: string): Promise<ShareLinks> => call(`/api/docs/${id}/links`, { token }, shareLinksSchema);

export const patchDoc = (id: string, token: string, patch: PatchDocRequest): Promise<PatchDocResponse> =>
  call(`/api/docs/${id}`, { method: "PATCH", token, json: patch }, patchDocResponseSchema);

export const rotateLink = (id: string, token: string, kind: LinkKind): Promise<IssuedLink> =>
  call(`/api/docs/${id}/links/${kind}/rotate`, { method: "POST", token }, issuedLinkSchema);

export const deleteDoc = (id: string, token: string): Promise<void> => call(`/api/docs/${id}`, { method: "DELETE", token }, nothing);

/** The document's size against its limits (owner only). */
export const getDocHealth = (id: string, token: string): Promise<DocHealth> => call(`/api/docs/${id}/health`, { token }, docHealthSchema);

/** Who wrote each run of the document as it stands (any link). */
export const getAuthorship = (id: string, token: string): Promise<AuthorshipAnswer> =>
  call(`/api/docs/${id}/authorship`, { token }, authorshipAnswerSchema);
/** The document's AI calls, newest first (owner only). */
export const getAiActivity = (id: string, token: string, signal?: AbortSignal): Promise<AiActivityAnswer> =>
  call(`/api/docs/${id}/ai/activity`, { token, signal }, aiActivitySchema);

// ---------------------------------------------------------------- versions

export const listVersions = (docId: string, token: string): Promise<Version[]> =>
  call(`/api/docs/${docId}/versions`, { token }, versionListSchema);

/** A version's content as ProseMirror JSON (what the preview editor renders). */
export const versionContent = (docId: string, token: string, versionId: string): Promise<unknown> =>
  call(`/api/docs/${docId}/versions/${versionId}?format=json`, { token }, anything);

export const nameVersion = (docId: string, token: string, name: string): Promise<Version> =>
  call(`/api/docs/${docId}/versions`, { method: "POST", token, json: { name } }, versionSchema);

/** Client-mode restore: the server records a checkpoint of the current state and returns
 * the version's content; the caller applies it in the editor as the user's own change. */
export const prepareRestore = (docId: string, token: string, versionId: string): Promise<RestoreResponse> =>
  call(`/api/docs/${docId}/versions/${versionId}/restore`, { method: "POST", token, json: { mode: "client" } }, restoreResponseSchema);

/** What changed from version `a` to version `to` (or the live document, "current"), by author. */
export const compareVersions = (docId: string, token: string, a: string, to: string): Promise<CompareResponse> =>
  call(`/api/docs/${docId}/versions/${a}/compare?to=${encodeURIComponent(to)}`, { token }, compareResponseSchema);

/** Owner only: deletes a named version. */
export const deleteVersion = (docId: string, token: string, versionId: string): Promise<void> =>
  call(`/api/docs/${docId}/versions/${versionId}`, { method: "DELETE", token }, nothing);

/** Owner only: replaces the document's whole state with a fresh one made from a version. */
export const rebuildFromVersion = (docId: string, token: string, versionId: string): Promise<RebuildResponse> =>
  call(`/api/docs/${docId}/versions/${versionId}/rebuild`, { method: "POST", token, json: {} }, rebuildResponseSchema);

// ---------------------------------------------------------------- files and exports

/** Uploads an image; the answer's `url` is what the document stores. */
export const uploadFile = (docId: string, token: string, file: Blob): Promise<UploadFileResponse> =>
  call(`/api/docs/${docId}/files`, { method: "POST", token, body: file }, uploadFileResponseSchema);

/** The document in one of the export formats, and the file name the server gave it
 * (for DOCX; null for the text formats). */
export async function downloadExport(
  docId: string,
  token: string,
  format: DownloadFormat,
): Promise<{ blob: Blob; filename: string | null }> {
  const res = await send(`/api/docs/${docId}/export?format=${format}`, { token });
  return { blob: await res.blob(), filename: filenameFrom(res.headers.get("content-disposition")) };
}

/** The UTF-8 name of a Content-Disposition header (RFC 5987), else its plain name. */
function filenameFrom(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      /* fall through to the plain name */
    }
  }
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? null;
}

// ---------------------------------------------------------------- comment threads

const threadsPath = (id: string) => `/api/docs/${id}/threads`;

/** The threads changed after `since` (0: all), a page of them (see shared/comments.ts). */
export const listThreads = (id: string, token: string, since = 0): Promise<ThreadsResponse> =>
  call(`${threadsPath(id)}?since=${since}`, { token }, threadsResponseSchema);

/** One thread and a page of its comments after `after` (the `next` of the page before). */
export const getThread = (id: string, token: string, threadId: string, after?: string): Promise<ThreadResponse> =>
  call(`${threadsPath(id)}/${threadId}${after ? `?after=${encodeURIComponent(after)}` : ""}`, { token }, threadResponseSchema);

/** The owner deletes any thread; an author one whose comments are all theirs. */
export const deleteThread = (id: string, token: string, threadId: string, authorKey: string): Promise<DeletedResponse> =>
  call(`${threadsPath(id)}/${threadId}`, { method: "DELETE", token, json: { authorKey } }, deletedResponseSchema);

export const createThread = (id: string, token: string, req: CreateThreadRequest): Promise<Thread> =>
  call(threadsPath(id), { method: "POST", token, json: req }, threadSchema);

export const replyToThread = (id: string, token: string, threadId: string, req: AddCommentRequest): Promise<Comment> =>
  call(`${threadsPath(id)}/${threadId}/comments`, { method: "POST", token, json: req }, commentSchema);

export const setThreadStatus = (id: string, token: string, threadId: string, status: "open" | "resolved"): Promise<Thread> =>
  call(`${threadsPath(id)}/${threadId}`, { method: "PATCH", token, json: { status } }, threadSchema);

export const editComment = (
  id: string,
  token: string,
  threadId: string,
  commentId: string,
  body: string,
  authorKey: string,
): Promise<Comment> =>
  call(`${threadsPath(id)}/${threadId}/comments/${commentId}`, { method: "PATCH", token, json: { body, authorKey } }, commentSchema);

export const deleteComment = (
  id: string,
  token: string,
  threadId: string,
  commentId: string,
  authorKey: string,
): Promise<DeletedResponse> =>
  call(`${threadsPath(id)}/${threadId}/comments/${commentId}`, { method: "DELETE", token, json: { authorKey } }, deletedResponseSchema);
