/**
 * The app's page for paths that are no file. The platform serves the built files
 * itself (wrangler.toml `[assets]`); any other path reaches the Worker, which answers
 * the single-page app's index.html: with 200 for the pages the app has (the home page
 * is a file; a document is /d/<id>), with 404 for every other path, so a mistyped or
 * stale address is a real "not found" to browsers, crawlers and monitors while people
 * still see the app's own "Page not found".
 */
import { isValidDocId } from "../../shared/ids";

/** The paths the client's router shows a page for (client/src/main.tsx). */
export function isAppPage(pathname: string): boolean {
  if (pathname === "/") return true;
  const doc = /^\/d\/([^/]+)\/?$/.exec(pathname);
  return doc !== null && isValidDocId(doc[1]!);
}

export async function appShell(request: Request, env: Env, url: URL): Promise<Response> {
  const index = await env.ASSETS.fetch(new Request(new URL("/", url), { headers: request.headers }));
  if (isAppPage(url.pathname) || !index.ok) return index;
  const headers = new Headers(index.headers);
  // The same bytes as a found page, so the validators must not let a cache mix them up.
  headers.delete("etag");
  headers.set("cache-control", "no-store");
  return new Response(index.body, { status: 404, headers });
}
