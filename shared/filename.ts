/** File names for downloads, made from a document title that anyone with an edit link
 * chose: the server puts it in a Content-Disposition header and the browser saves
 * under it, so it must be harmless on every file system and in a header. */

import { wellFormed } from "./text";

/** Characters of the title kept: long enough to recognise, short of every file
 * system's 255-byte name limit even in multi-byte scripts. */
const MAX_NAME_CHARS = 80;

/** Path separators, characters Windows refuses, controls, and quotes/semicolons that
 * would end a header parameter. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const UNSAFE = /[\\/:*?"<>|;\u0000-\u001f\u007f-\u009f]+/g;

export function safeFilename(title: string, ext: string): string {
  // Half an emoji (a lone surrogate) would make encodeURIComponent throw in the header.
  let base = wellFormed(title).normalize("NFC").replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  // A name of dots is a path ("..") or hidden; Windows drops trailing dots and spaces.
  base = base.replace(/^[.\s]+|[.\s]+$/g, "");
  base = [...base].slice(0, MAX_NAME_CHARS).join("").trim();
  // Names Windows reserves for devices, with or without an extension.
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(base)) base = `_${base}`;
  return `${base || "document"}.${ext}`;
}

/** A Content-Disposition value: an ASCII fallback name plus the exact UTF-8 name
 * (RFC 6266 / 5987), so non-Latin titles survive. */
export function contentDisposition(kind: "attachment" | "inline", name: string): string {
  const filename = wellFormed(name);
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
