/**
 * One route table per entry point: each request is matched once, by method and path,
 * and answered by one handler. The Worker has one (worker/index.ts) and the document's
 * Durable Object has one (document-routes.ts); nothing else looks at paths.
 */
import { jsonError } from "../lib/http";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Route<C> {
  method: Method;
  /** The whole path; named groups are the handler's params. */
  path: RegExp;
  handler: (request: Request, params: Record<string, string>, url: URL, ctx: C) => Promise<Response> | Response;
}

export type Matched<C> = { route: Route<C>; params: Record<string, string> } | { response: Response };

/** The route for this request, or the 404 / 405 to answer. */
export function match<C>(routes: readonly Route<C>[], method: string, pathname: string): Matched<C> {
  const allowed: Method[] = [];
  for (const route of routes) {
    const m = route.path.exec(pathname);
    if (!m) continue;
    if (route.method === method) return { route, params: { ...m.groups } };
    allowed.push(route.method);
  }
  if (allowed.length === 0) return { response: jsonError(404, "not-found", "No such API route") };
  const res = jsonError(405, "method-not-allowed", `Use ${allowed.join(" or ")} here`);
  res.headers.set("allow", allowed.join(", "));
  return { response: res };
}
