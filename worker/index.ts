/** The Worker entry: routes requests, nothing else. Static assets (the React app)
 * are served by the platform before this runs; see run_worker_first in wrangler.toml. */
import { isValidDocId } from "../shared/ids";
import { createDoc, exportDoc } from "./api/docs";
import { documentStub, forward } from "./api/forward";
import { manageDoc } from "./api/manage";
import { FILE_ROUTE, forwardFiles } from "./api/files";
import { jsonError, json } from "./lib/http";
import { errorMessage, log } from "./lib/log";

export { CreateLimiter } from "./CreateLimiter";
export { Document } from "./Document";

const DOC_ROUTE = /^\/api\/docs\/([^/]+)((?:\/[a-z]+)*)$/;
const VERSION_ROUTE = /^\/api\/docs\/([^/]+)\/versions\/([^/]+)(\/restore)?$/;
const PARTY_ROUTE = /^\/parties\/document\/([^/]+)$/;

async function route(request: Request, env: Env, url: URL): Promise<Response> {
  const { pathname } = url;
  const method = request.method;

  if (pathname === "/api/health") {
    return json({ ok: true, service: "quire" });
  }
  if (pathname === "/api/docs") {
    if (method !== "POST") return jsonError(405, "method-not-allowed", "Use POST to create a document");
    return createDoc(request, env, url.origin);
  }

  const version = VERSION_ROUTE.exec(pathname);
  if (version) {
    const id = version[1]!;
    if (!isValidDocId(id)) return jsonError(400, "bad-id", "Not a valid document id");
    return forward(request, env, id, `/versions/${encodeURIComponent(version[2]!)}${version[3] ?? ""}`, url);
  }

  const file = FILE_ROUTE.exec(pathname);
  if (file) return forwardFiles(request, env, url, file);

  const doc = DOC_ROUTE.exec(pathname);
  if (doc) {
    const id = doc[1]!;
    if (!isValidDocId(id)) return jsonError(400, "bad-id", "Not a valid document id");
    if (doc[2] === "/export" && method === "GET") return exportDoc(request, env, id, url);
    if (doc[2] === "/versions" || doc[2] === "/stats") return forward(request, env, id, doc[2], url);
    const managed = await manageDoc(request, env, id, doc[2] ?? "", url);
    if (managed) return managed;
    return jsonError(404, "not-found", "No such API route");
  }

  const party = PARTY_ROUTE.exec(pathname);
  if (party) {
    const id = party[1]!;
    if (!isValidDocId(id)) return jsonError(400, "bad-id", "Not a valid document id");
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return jsonError(426, "upgrade-required", "Connect with a WebSocket");
    }
    return documentStub(env, id).fetch(request);
  }

  return jsonError(404, "not-found", "No such API route");
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      return await route(request, env, url);
    } catch (err) {
      log("error", "worker-failed", { path: url.pathname, error: errorMessage(err) });
      return jsonError(500, "internal", "Unexpected error");
    }
  },
} satisfies ExportedHandler<Env>;
