/** /api/docs/<id>/versions... and /stats in the Worker: forwarded to the document's DO
 * (which checks the token and validates bodies) with only what it needs. */
import { documentStub } from "./docs";

/** Forwards to the DO's internal route `path`, keeping method, query, bearer token and body. */
export function forwardToDoc(request: Request, env: Env, id: string, path: string, url: URL): Promise<Response> {
  const target = new URL(`https://document${path}`);
  target.search = url.search;
  const headers = new Headers();
  const auth = request.headers.get("authorization");
  if (auth) headers.set("authorization", auth);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  if (hasBody) headers.set("content-type", "application/json");
  return documentStub(env, id).fetch(target, {
    method: request.method,
    headers,
    ...(hasBody ? { body: request.body } : {}),
  });
}
