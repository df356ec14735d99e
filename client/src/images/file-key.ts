/**
 * The address an <img> loads an uploaded file from. The document stores the stable
 * address (`/api/docs/<doc>/files/<file>`); an <img> cannot send the bearer token, so
 * this document's files are shown with `?key=` and the file key of the link this tab
 * opened the document with (see shared/files.ts). Other addresses are shown as stored.
 */
import { FILE_KEY_PARAM, fileKeyFromToken, fileUrl, parseFileUrl } from "../../../shared/files";
import { safeHref } from "../../../shared/links";

const keys = new Map<string, Promise<string>>();

/** The file key for a document and token (derived once per pair). */
export function fileKey(docId: string, token: string): Promise<string> {
  const id = `${docId}\n${token}`;
  let key = keys.get(id);
  if (!key) {
    key = fileKeyFromToken(docId, token);
    keys.set(id, key);
  }
  return key;
}

/** What the <img> loads for a stored `src`: null for an address the allowlist refuses;
 * for this document's files, the keyed address once the key is known (null before,
 * so no request goes out without it). */
export function displaySrc(src: unknown, docId: string, key: string | null): string | null {
  const safe = safeHref(src);
  if (safe === null) return null;
  const ref = parseFileUrl(safe, window.location.origin);
  if (!ref || ref.docId !== docId) return safe;
  return key === null ? null : `${fileUrl(docId, ref.fileId)}?${FILE_KEY_PARAM}=${encodeURIComponent(key)}`;
}
