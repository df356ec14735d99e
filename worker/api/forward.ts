/**
 * Every HTTP call from the Worker to a document's Durable Object goes through here, so
 * three rules hold on every route: only the bearer token, the public origin and the
 * body go along; a body streams to the DO under a byte cap, unread by the Worker (the
 * DO checks the token before it reads); and whatever fails inside answers the client
 * `{error, message}`, never a stack trace (partyserver answers an exception thrown while
 * handling a request with a 500 whose body is `err.stack`).
 */
import { MAX_API_BODY_BYTES } from "../../shared/limits";
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

/**
 * Forwards an API request to the DO's internal route `path` (with the request's query).
 * A body is relayed only for methods that carry one, and a declared Content-Length
 * over the route's cap (`maxBodyBytes`, which the DO enforces again while reading) is
 * refused here before anything is read.
 */
export async function forward(
  request: Request,
  env: Env,
  id: string,
  path: string,
  url: URL,
  maxBodyBytes = MAX_API_BODY_BYTES,
): Promise<Response> {
  const target = new URL(`https://document${path}`);
  target.search = url.search;
  const headers = new Headers({ [ORIGIN_HEADER]: url.origin });
  const auth = request.headers.get("authorization");
  if (auth) headers.set("authorization", auth);
  const method = request.method;
  if (method === "GET" || method === "HEAD" || method === "DELETE") {
    return callDoc(env, id, target, { method, headers });
  }
  const refused = await refuseDeclaredSize(request, maxBodyBytes);
  if (refused) return refused;
  const relay = relayBody(request, maxBodyBytes);
  if (relay.body) headers.set("content-type", "application/json");
  try {
    return await callDoc(env, id, target, { method, headers, body: relay.body });
  } finally {
    await relay.stop();
  }
}
