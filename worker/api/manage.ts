/** /api/docs/<id> management routes in the Worker: forwarded to the document's DO,
 * which authenticates, validates the body and answers. Only the Authorization header,
 * the body and the public origin (to build share URLs) go along. */
import { MAX_IMPORT_BODY_BYTES } from "../../shared/limits";
import { isShareLinkKind } from "../../shared/sharing";
import { ORIGIN_HEADER } from "../document/manage";
import { jsonError } from "../lib/http";
import { documentStub } from "./docs";

const ROTATE = /^\/links\/([a-z]+)\/rotate$/;

/** Answers `/api/docs/<id><rest>` for the management API, or null if `rest` is not one of its routes. */
export async function manageDoc(request: Request, env: Env, id: string, rest: string, origin: string): Promise<Response | null> {
  const method = request.method;
  if (rest === "") {
    if (method !== "GET" && method !== "PATCH" && method !== "DELETE") {
      return jsonError(405, "method-not-allowed", "Use GET, PATCH or DELETE");
    }
    return forward(request, env, id, "/doc", origin);
  }
  if (rest === "/content") {
    if (method !== "PUT") return jsonError(405, "method-not-allowed", "Use PUT to change the content");
    return forward(request, env, id, "/content", origin);
  }
  const rotate = ROTATE.exec(rest);
  if (rotate) {
    if (!isShareLinkKind(rotate[1]!)) return jsonError(404, "not-found", "Links are edit or view");
    if (method !== "POST") return jsonError(405, "method-not-allowed", "Use POST to reset a link");
    return forward(request, env, id, rest, origin);
  }
  return null;
}

async function forward(request: Request, env: Env, id: string, path: string, origin: string): Promise<Response> {
  // Refuse a body that announces itself too big before streaming it to the DO.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BODY_BYTES) {
    return jsonError(413, "too-large", `Bodies are limited to ${MAX_IMPORT_BODY_BYTES} bytes`);
  }
  const headers = new Headers({ [ORIGIN_HEADER]: origin });
  const auth = request.headers.get("authorization");
  if (auth) headers.set("authorization", auth);
  // Buffered, not streamed: the DO may answer (401, 403) without reading the body,
  // and a stream still being piped after that response is an error in workerd.
  const hasBody = request.method === "PATCH" || request.method === "PUT";
  const body = hasBody ? await request.text() : null;
  if (body !== null && body.length > MAX_IMPORT_BODY_BYTES) {
    return jsonError(413, "too-large", `Bodies are limited to ${MAX_IMPORT_BODY_BYTES} bytes`);
  }
  return documentStub(env, id).fetch(`https://document${path}`, { method: request.method, headers, body });
}
