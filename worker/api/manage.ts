/** /api/docs/<id> management routes in the Worker: forwarded to the document's DO,
 * which authenticates, validates the body and answers (see forward.ts for what goes along).
 * Bodies are small JSON (MAX_API_BODY_BYTES) except PUT …/content, which carries Markdown. */
import { MAX_IMPORT_BODY_BYTES } from "../../shared/limits";
import { isShareLinkKind } from "../../shared/sharing";
import { jsonError } from "../lib/http";
import { forward } from "./forward";

const ROTATE = /^\/links\/([a-z]+)\/rotate$/;

/** Answers `/api/docs/<id><rest>` for the management API, or null if `rest` is not one of its routes. */
export async function manageDoc(request: Request, env: Env, id: string, rest: string, url: URL): Promise<Response | null> {
  const method = request.method;
  if (rest === "") {
    if (method !== "GET" && method !== "PATCH" && method !== "DELETE") {
      return jsonError(405, "method-not-allowed", "Use GET, PATCH or DELETE");
    }
    return forward(request, env, id, "/doc", url);
  }
  if (rest === "/content") {
    if (method !== "PUT") return jsonError(405, "method-not-allowed", "Use PUT to change the content");
    return forward(request, env, id, "/content", url, MAX_IMPORT_BODY_BYTES);
  }
  const rotate = ROTATE.exec(rest);
  if (rotate) {
    if (!isShareLinkKind(rotate[1]!)) return jsonError(404, "not-found", "Links are edit or view");
    if (method !== "POST") return jsonError(405, "method-not-allowed", "Use POST to reset a link");
    return forward(request, env, id, rest, url);
  }
  return null;
}
