/**
 * Uploaded files (images), as the Worker and the editor both see them.
 *
 * A document stores an image by its stable address, `/api/docs/<doc>/files/<file>`.
 * An <img> cannot send a bearer token, so the browser adds `?key=<file key>`, where
 * the file key is derived from the token of the link it opened the document with:
 *
 *     key = base64url(SHA-256("quire-file-key/v1\n" + doc + "\n" + hex(SHA-256(token))))
 *
 * The server stores only each link's SHA-256 hash, so it can derive the key of every
 * link that is on and accept any of them. A key works exactly as long as its link: a
 * reset or switched-off link changes its hash, and with it the key. It reads files of
 * this one document and nothing else (it is one-way: it does not give the token).
 */
import * as z from "zod/mini";
import { toBase64Url } from "./ids";

/** What an upload may be (checked by magic bytes on the server). No SVG: it can carry
 * script, and the schema's images are pictures, not documents. */
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const isImageType = (v: unknown): v is ImageType => (IMAGE_TYPES as readonly unknown[]).includes(v);

/** 128 random bits, 22 base64url characters: unguessable, so ids never collide. */
export const FILE_ID_BYTES = 16;
export const FILE_ID_PATTERN = "[A-Za-z0-9_-]{22}";
const FILE_ID_RE = new RegExp(`^${FILE_ID_PATTERN}$`);
export const isFileId = (v: string): boolean => FILE_ID_RE.test(v);

/** The query parameter that carries a file key. */
export const FILE_KEY_PARAM = "key";

export const fileUrl = (docId: string, fileId: string): string => `/api/docs/${docId}/files/${fileId}`;

const FILE_PATH_RE = new RegExp(`^/api/docs/([A-Za-z0-9_-]{16,64})/files/(${FILE_ID_PATTERN})$`);

/** The document and file an image address points at, when it is one of Quire's file
 * addresses on `origin` (site-relative, or absolute on that origin); else null. */
export function parseFileUrl(src: string, origin: string): { docId: string; fileId: string } | null {
  let url: URL;
  try {
    url = new URL(src, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const m = FILE_PATH_RE.exec(url.pathname);
  return m ? { docId: m[1]!, fileId: m[2]! } : null;
}

export const uploadFileResponseSchema = z.object({
  id: z.string(),
  /** The address to store in the document (without a key). */
  url: z.string(),
  width: z.optional(z.int().check(z.positive())),
  height: z.optional(z.int().check(z.positive())),
  bytes: z.int().check(z.nonnegative()),
});
export type UploadFileResponse = z.infer<typeof uploadFileResponseSchema>;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The file key of the link whose token hashes (hex SHA-256) to `tokenHash`. */
export async function fileKeyFromHash(docId: string, tokenHash: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`quire-file-key/v1\n${docId}\n${tokenHash}`));
  return toBase64Url(new Uint8Array(digest));
}

export async function fileKeyFromToken(docId: string, token: string): Promise<string> {
  return fileKeyFromHash(docId, await sha256Hex(token));
}
