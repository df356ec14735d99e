/** The Worker entry: routes requests, nothing else, from one table. Static assets (the
 * React app) are served by the platform before this runs (run_worker_first in
 * wrangler.toml); a page path that is no file gets the app's page (api/app-shell.ts). Everything under /api/docs/<id> belongs to that document's Durable
 * Object, whose own table (routes/document-routes.ts) knows its routes. */
import { isValidDocId } from "../shared/ids";
import { appShell } from "./api/app-shell";
import { createDoc } from "./api/create";
import { documentStub, forwardToDocument } from "./api/forward";
import { json, jsonError } from "./lib/http";
import { errorMessage, log } from "./lib/log";
import { match, type Route } from "./routes/table";

export { CreateLimiter } from "./CreateLimiter";
export { Document } from "./Document";

const ANY = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** A document id that could never have been issued is refused before any Durable Object is touched. */
const withDoc =
  (f: (request: Request, env: Env, id: string, rest: string, url: URL) => Promise<Response>): Route<Env>["handler"] =>
  (request, params, url, env) =>
    isValidDocId(params.id!) ? f(request, env, params.id!, params.rest ?? "", url) : jsonError(400, "bad-id", "Not a valid document id");

const ROUTES: Route<Env>[] = [
  { method: "GET", path: /^\/api\/health$/, handler: () => json({ ok: true, service: "quire" }) },
  { method: "POST", path: /^\/api\/docs$/, handler: (request, _p, url, env) => createDoc(request, env, url.origin) },
  ...ANY.map((method): Route<Env> => ({ method, path: /^\/api\/docs\/(?<id>[^/]+)(?<rest>\/.*)?$/, handler: withDoc(forwardToDocument) })),
  {
    method: "GET",
    path: /^\/parties\/document\/(?<id>[^/]+)$/,
    handler: withDoc(async (request, env, id) =>
      request.headers.get("upgrade")?.toLowerCase() === "websocket"
        ? documentStub(env, id).fetch(request)
        : jsonError(426, "upgrade-required", "Connect with a WebSocket"),
    ),
  },
  // Last: any other page path (/d/<id>, or a 404 page for an address the app does not have).
  { method: "GET", path: /^\/(?!api\/|parties\/)/, handler: (request, _p, url, env) => appShell(request, env, url) },
];

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      const found = match(ROUTES, request.method, url.pathname);
      if ("response" in found) return found.response;
      return await found.route.handler(request, found.params, url, env);
    } catch (err) {
      log("error", "worker-failed", { path: url.pathname, error: errorMessage(err) });
      return jsonError(500, "internal", "Unexpected error");
    }
  },
} satisfies ExportedHandler<Env>;
