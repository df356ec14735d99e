/**
 * Every HTTP call from the Worker to a document's Durable Object goes through here, so
 * three rules hold on every route: only the bearer token, the public origin and the
 * body go along; a body streams to the DO under a byte cap, unread by the Worker (the
 * DO checks the token before it reads); and whatever fails inside answers the client
 * `{error, message}`, never a stack trace (partyserver answers an exception thrown while
 * handling a request with a 500 whose body is `err.stack`).
 */
import { documentRoute } from "../routes/document-routes";
import { refuseDeclaredSize, relayBody } from "../lib/body";
import { ORIGIN_HEADER, jsonError } from "../lib/http";
import { errorMessage, log } from "../lib/log";

export function documentStub(env: Env, id: string): DurableObjectStub {
  return env.Document.getByName(id);
}

/** Calls the DO and answers what the client may see: the DO's own answers pass, a
 * failure becomes a short JSON error and one log line with the document id. */
export async function callDoc(env: Env, id: string, url: URL | string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await documentStub(env, id).fetch(url, init);
  } catch (err) {
    const retryable = (err as { retryable?: unknown }).retryable === true;
    log("error", "doc-call-failed", { doc: id, retryable, error: errorMessage(err) });
    return retryable
      ? jsonError(503, "unavailable", "The document is unavailable right now; try again")
      : jsonError(500, "internal", "Unexpected error");
  }
  // Quire's own errors are JSON; anything else at 5xx is the framework's or the runtime's.
  if (res.status >= 500 && !(res.headers.get("content-type") ?? "").startsWith("application/json")) {
    await res.body?.cancel().catch(() => {});
    log("error", "doc-request-failed", { doc: id, status: res.status });
    return jsonError(500, "internal", "Unexpected error");
  }
  return res;
}

/** Request headers a document route may need: the token, an upload's type and size,
 * a cached image's ETag. Nothing else from the client reaches the Durable Object. */
const PASSED_HEADERS = ["authorization", "content-type", "content-length", "if-none-match"];

/**
 * Forwards `/api/docs/<id><rest>` to the document's Durable Object as `<rest>` (`/doc`
 * for the document itself), with the query. The DO's route table says first whether
 * the route exists and how large a body it reads: an unknown path or method is answered
 * here without waking the DO, a declared Content-Length over the cap is refused before
 * anything is read, and a body is relayed under that cap (the DO enforces it again).
 */
export async function forwardToDocument(request: Request, env: Env, id: string, rest: string, url: URL): Promise<Response> {
  const path = rest === "" ? "/doc" : rest;
  const route = documentRoute(request.method, path);
  if (route instanceof Response) return route;
  const target = new URL(`https://document${path}`);
  target.search = url.search;
  const headers = new Headers({ [ORIGIN_HEADER]: url.origin });
  for (const name of PASSED_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const method = request.method;
  if (route.maxBodyBytes === 0) {
    headers.delete("content-type");
    headers.delete("content-length");
    return callDoc(env, id, target, { method, headers });
  }
  const refused = await refuseDeclaredSize(request, route.maxBodyBytes);
  if (refused) return refused;
  // The relay re-chunks the body: a declared length no longer holds.
  headers.delete("content-length");
  const relay = relayBody(request, route.maxBodyBytes);
  try {
    return await callDoc(env, id, target, { method, headers, body: relay.body });
  } finally {
    await relay.stop();
  }
}
