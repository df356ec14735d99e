/**
 * The one rule for which link and image addresses Quire keeps, wherever content comes
 * from or goes to: the editor's Link extension (typed, pasted, autolinked), image
 * sources, Markdown import, every export, AI answers and the server's update checks.
 *
 * Allowed: http:, https:, mailto:, in-page anchors (#x) and site-relative paths (/x).
 * Everything else is refused, notably javascript:/data:/vbscript:, protocol-relative
 * addresses (//host/x) and their backslash spelling (/\host/x, which browsers read as
 * //host/x), whatever the case and whatever whitespace or control characters surround
 * or hide inside them (browsers strip leading C0 characters and drop tabs and newlines
 * anywhere, so "\tjava\nscript:" is a javascript: URL to them).
 */

const ALLOWED_SCHEMES = new Set(["http", "https", "mailto"]);

/** What the WHATWG URL parser ignores around a URL: C0 controls and space. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const EDGE_JUNK = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
/** Controls, DEL, and the invisible characters that make an address mean something
 * other than what it shows. Refused anywhere inside (after trimming the edges). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]/;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** The address as it should be stored (edges trimmed), or null if it is not allowed. */
export function safeHref(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const url = raw.replace(EDGE_JUNK, "");
  if (url === "" || HIDDEN.test(url)) return null;
  if (url.startsWith("#")) return url;
  if (url.startsWith("/")) return url[1] === "/" || url[1] === "\\" ? null : url;
  const scheme = SCHEME.exec(url)?.[1];
  return scheme !== undefined && ALLOWED_SCHEMES.has(scheme.toLowerCase()) ? url : null;
}

/** Whether an address may be a link target or an image source. */
export const isAllowedHref = (raw: unknown): boolean => safeHref(raw) !== null;
