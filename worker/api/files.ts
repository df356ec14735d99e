/** /api/docs/<id>/files[/<file>] in the Worker: checked for shape, then handed to the
 * document's Durable Object (which checks the token or key) with only what it needs.
 * An upload's body is streamed through, never read here. */
import { isValidDocId } from "../../shared/ids";
import { callDoc } from "./forward";
import { ORIGIN_HEADER, jsonError } from "../lib/http";

export const FILE_ROUTE = /^\/api\/docs\/([^/]+)\/files(?:\/([^/]+))?$/;

const PASSED = ["authorization", "content-type", "content-length", "if-none-match"];

export function forwardFiles(request: Request, env: Env, url: URL, match: RegExpExecArray): Promise<Response> | Response {
  const id = match[1]!;
  const fileId = match[2];
  if (!isValidDocId(id)) return jsonError(400, "bad-id", "Not a valid document id");
  const upload = fileId === undefined;
  if (upload && request.method !== "POST") return jsonError(405, "method-not-allowed", "Use POST to upload a file");
  if (!upload && request.method !== "GET") return jsonError(405, "method-not-allowed", "Use GET to read a file");
  const target = new URL(`https://document/files${upload ? "" : `/${encodeURIComponent(fileId)}`}`);
  target.search = url.search;
  const headers = new Headers();
  for (const name of PASSED) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set(ORIGIN_HEADER, url.origin);
  return callDoc(env, id, target, { method: request.method, headers, ...(upload ? { body: request.body } : {}) });
}
