/**
 * Every HTTP call from the Worker to a document's Durable Object goes through here, so
 * two rules hold on every route: only the bearer token, the public origin and the body
 * go along; and a body streams to the DO under a byte cap, unread by the Worker (the DO
 * checks the token before it reads).
 */
import { MAX_API_BODY_BYTES } from "../../shared/limits";
import { refuseDeclaredSize, relayBody } from "../lib/body";
import { ORIGIN_HEADER, jsonError } from "../lib/http";

export function documentStub(env: Env, id: string): DurableObjectStub {
  return env.Document.getByName(id);
}

export function callDoc(env: Env, id: string, url: URL | string, init: RequestInit = {}): Promise<Response> {
  return documentStub(env, id).fetch(url, init);
}

/**
 * Forwards an API request to the DO's internal route `path` (with the request's query).
 * A body is relayed only for methods that carry one, and a declared Content-Length
 * over the route's cap (`maxBodyBytes`, which the DO enforces again while reading) is
 * refused here before anything is read.
 */
export async function forward(request: Request, env: Env, id: string, path: string, url: URL, maxBodyBytes = MAX_API_BODY_BYTES): Promise<Response> {
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
