/**
 * Every HTTP route of a document's Durable Object, in one table: the Worker forwards
 * /api/docs/<id>/<rest> here as /<rest> (and POST /api/docs as /create), and nothing
 * else matches paths. `content: false` marks what the owner of a document that fails
 * to load can still do: delete it, see and restore versions.
 */
import { MAX_API_BODY_BYTES, MAX_FILE_BYTES, MAX_IMPORT_BODY_BYTES } from "../../shared/limits";
import type { LinkKind } from "../../shared/sharing";
import type { Threads } from "../comments/threads";
import type { DocFiles } from "../files/doc-files";
import { jsonError } from "../lib/http";
import { errorMessage, log } from "../lib/log";
import type { HistoryRoutes } from "./history";
import type { Manage } from "./manage";
import { match, type Route } from "./table";

export interface DocumentRouteHost {
  docId(): string;
  create(request: Request): Promise<Response>;
  manage: Manage;
  files: DocFiles;
  history: HistoryRoutes;
  threads: Threads;
  /** GET /authorship (any link): who wrote what (routes/authorship.ts). */
  authorship(request: Request): Promise<Response>;
  /** GET /health (owner): size against the limits (routes/health.ts). */
  docHealth(request: Request): Promise<Response>;
  /** GET /ai/activity (owner): the document's AI calls (routes/ai-activity.ts). */
  aiActivity(request: Request): Promise<Response>;
  /** The content did not load (load.ts), or the room is restarting (room/recovery.ts). */
  health(): { loadFailed: boolean; restarting: boolean };
}

type DocRoute = Route<DocumentRouteHost> & {
  content: boolean;
  /** The largest body the route reads (0: it reads none). The Worker relays no more. */
  maxBodyBytes: number;
  /** Only the Worker itself calls it (POST /api/docs): never forwarded from a client's path. */
  internal?: boolean;
};

const ROUTES: DocRoute[] = [
  {
    method: "POST",
    path: /^\/create$/,
    content: true,
    maxBodyBytes: MAX_IMPORT_BODY_BYTES,
    internal: true,
    handler: (r, _p, _u, h) => h.create(r),
  },
  { method: "GET", path: /^\/doc$/, content: true, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.manage.get(r) },
  { method: "GET", path: /^\/access$/, content: false, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.manage.access(r) },
  { method: "GET", path: /^\/links$/, content: true, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.manage.linksRoute(r) },
  { method: "PATCH", path: /^\/doc$/, content: true, maxBodyBytes: MAX_API_BODY_BYTES, handler: (r, _p, _u, h) => h.manage.patchRoute(r) },
  { method: "DELETE", path: /^\/doc$/, content: false, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.manage.deleteRoute(r) },
  {
    method: "PUT",
    path: /^\/content$/,
    content: true,
    maxBodyBytes: MAX_IMPORT_BODY_BYTES,
    handler: (r, _p, _u, h) => h.manage.contentRoute(r),
  },
  {
    method: "POST",
    path: /^\/links\/(?<kind>owner|edit|comment|view)\/rotate$/,
    content: true,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, p, _u, h) => h.manage.rotateRoute(r, p.kind as LinkKind),
  },
  { method: "GET", path: /^\/authorship$/, content: true, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.authorship(r) },
  { method: "GET", path: /^\/export$/, content: true, maxBodyBytes: 0, handler: (r, _p, u, h) => h.files.exportDoc(r, u) },
  { method: "POST", path: /^\/files$/, content: true, maxBodyBytes: MAX_FILE_BYTES, handler: (r, _p, _u, h) => h.files.upload(r) },
  {
    method: "GET",
    path: /^\/files\/(?<file>[^/]+)$/,
    content: true,
    maxBodyBytes: 0,
    handler: (r, p, u, h) => h.files.serve(r, u, p.file!),
  },
  { method: "GET", path: /^\/versions$/, content: false, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.history.list(r) },
  { method: "POST", path: /^\/versions$/, content: true, maxBodyBytes: MAX_API_BODY_BYTES, handler: (r, _p, _u, h) => h.history.name(r) },
  {
    method: "GET",
    path: /^\/versions\/(?<version>[^/]+)$/,
    content: false,
    maxBodyBytes: 0,
    handler: (r, p, u, h) => h.history.read(r, u, p.version!),
  },
  {
    method: "GET",
    path: /^\/versions\/(?<version>[^/]+)\/compare$/,
    content: true,
    maxBodyBytes: 0,
    handler: (r, p, u, h) => h.history.compare(r, u, p.version!),
  },
  {
    method: "DELETE",
    path: /^\/versions\/(?<version>[^/]+)$/,
    content: false,
    maxBodyBytes: 0,
    handler: (r, p, _u, h) => h.history.remove(r, p.version!),
  },
  {
    method: "POST",
    path: /^\/versions\/(?<version>[^/]+)\/restore$/,
    content: false,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, p, _u, h) => h.history.restore(r, p.version!),
  },
  {
    method: "POST",
    path: /^\/versions\/(?<version>[^/]+)\/rebuild$/,
    content: true,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, p, _u, h) => h.history.rebuild(r, p.version!),
  },
  { method: "GET", path: /^\/threads$/, content: true, maxBodyBytes: 0, handler: (r, _p, u, h) => h.threads.listRoute(r, u) },
  {
    method: "GET",
    path: /^\/threads\/(?<thread>[A-Za-z0-9_-]+)$/,
    content: true,
    maxBodyBytes: 0,
    handler: (r, p, u, h) => h.threads.getRoute(r, p.thread!, u),
  },
  {
    method: "DELETE",
    path: /^\/threads\/(?<thread>[A-Za-z0-9_-]+)$/,
    content: true,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, p, _u, h) => h.threads.deletes.threadRoute(r, p.thread!),
  },
  {
    method: "POST",
    path: /^\/threads$/,
    content: true,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, _p, _u, h) => h.threads.createRoute(r),
  },
  {
    method: "PATCH",
    path: /^\/threads\/(?<thread>[A-Za-z0-9_-]+)$/,
    content: true,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, p, _u, h) => h.threads.patchRoute(r, p.thread!),
  },
  {
    method: "POST",
    path: /^\/threads\/(?<thread>[A-Za-z0-9_-]+)\/comments$/,
    content: true,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, p, _u, h) => h.threads.replyRoute(r, p.thread!),
  },
  {
    method: "PATCH",
    path: /^\/threads\/(?<thread>[A-Za-z0-9_-]+)\/comments\/(?<comment>[A-Za-z0-9_-]+)$/,
    content: true,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, p, _u, h) => h.threads.editCommentRoute(r, p.thread!, p.comment!),
  },
  {
    method: "DELETE",
    path: /^\/threads\/(?<thread>[A-Za-z0-9_-]+)\/comments\/(?<comment>[A-Za-z0-9_-]+)$/,
    content: true,
    maxBodyBytes: MAX_API_BODY_BYTES,
    handler: (r, p, _u, h) => h.threads.deletes.commentRoute(r, p.thread!, p.comment!),
  },
  { method: "GET", path: /^\/stats$/, content: true, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.history.stats(r) },
  { method: "GET", path: /^\/health$/, content: true, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.docHealth(r) },
  { method: "GET", path: /^\/ai\/activity$/, content: false, maxBodyBytes: 0, handler: (r, _p, _u, h) => h.aiActivity(r) },
];

/** For the Worker, before it wakes the Durable Object: the route's body cap, or the
 * 404 / 405 to answer. (The same table the Durable Object dispatches with.) */
export function documentRoute(method: string, path: string): { maxBodyBytes: number } | Response {
  const found = match(PUBLIC_ROUTES, method, path);
  return "response" in found ? found.response : { maxBodyBytes: (found.route as DocRoute).maxBodyBytes };
}
const PUBLIC_ROUTES = ROUTES.filter((r) => !r.internal);

/** Answers a request to the document; never throws (one log line, a short JSON error). */
export async function answerDocument(request: Request, host: DocumentRouteHost): Promise<Response> {
  const url = new URL(request.url);
  const found = match(ROUTES, request.method, url.pathname);
  if ("response" in found) return found.response;
  const route = found.route as DocRoute;
  const { loadFailed, restarting } = host.health();
  if (loadFailed && route.content) {
    return jsonError(503, "load-failed", "The document could not be loaded. Its owner can still delete it or restore a version.");
  }
  if (restarting) return jsonError(503, "restarting", "The document is restarting; try again in a moment");
  try {
    return await route.handler(request, found.params, url, host);
  } catch (err) {
    log("error", "request-failed", { doc: host.docId(), path: url.pathname, error: errorMessage(err) });
    return jsonError(500, "internal", "Unexpected error");
  }
}
