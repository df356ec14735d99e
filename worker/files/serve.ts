/**
 * GET /files/<file>: an uploaded image, for the holder of a file key (?key=, what an
 * <img> sends) or a bearer token. Ids are never reused, so the answer is cached for a
 * year, privately (a reset must not leave a copy in a shared cache). Nothing served
 * can run: only the four sniffed raster types are ever stored, sent with their own
 * type, nosniff, and a CSP that allows nothing even if the file is opened as a page.
 */
import { FILE_KEY_PARAM, isFileId, isImageType, type ImageType } from "../../shared/files";
import { FILE_CACHE_MAX_AGE_SECONDS } from "../../shared/limits";
import { jsonError } from "../lib/http";
import type { FileAccess, LinkSource } from "./access";
import type { FileStore } from "./store";

export interface ServeDeps {
  store: FileStore;
  access: FileAccess;
  links: LinkSource;
}

const EXTENSIONS: Record<ImageType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
};

export function fileHeaders(fileId: string, type: ImageType): Record<string, string> {
  return {
    "content-type": type,
    "cache-control": `private, max-age=${FILE_CACHE_MAX_AGE_SECONDS}, immutable`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "content-disposition": `inline; filename="${fileId}.${EXTENSIONS[type]}"`,
    // The page URL of whoever opens the image directly carries the key.
    "referrer-policy": "no-referrer",
    vary: "authorization",
  };
}

export async function serveFile(request: Request, url: URL, fileId: string, deps: ServeDeps): Promise<Response> {
  const key = url.searchParams.get(FILE_KEY_PARAM);
  if (key !== null) {
    if (!(await deps.access.keyWorks(key)))
      return jsonError(403, "forbidden", "This file key does not work (the link it came from was reset or turned off)");
  } else {
    const role = await deps.links.authorize(request);
    if (role instanceof Response) return role;
  }
  if (!isFileId(fileId)) return jsonError(404, "not-found", "No such file");
  const conditional = request.headers.has("if-none-match") ? request.headers : undefined;
  const obj = await deps.store.get(fileId, conditional);
  if (!obj) return jsonError(404, "not-found", "No such file");
  const stored = obj.httpMetadata?.contentType;
  // Only sniffed image types are ever written; anything else under the prefix is not served.
  if (!isImageType(stored)) return jsonError(404, "not-found", "No such file");
  const headers = { ...fileHeaders(fileId, stored), etag: obj.httpEtag };
  if (!("body" in obj)) return new Response(null, { status: 304, headers });
  return new Response(obj.body, { headers: { ...headers, "content-length": String(obj.size) } });
}
