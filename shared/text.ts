/**
 * Text from clients is UTF-16 that may hold half a surrogate pair ("Report \ud83d"):
 * JSON carries it, but `encodeURIComponent` throws on it (a Word export's
 * Content-Disposition failed for everyone), and DOCX/XML writers may refuse it. Every
 * string a link holder can store (titles, names, comments) goes through here.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with each lone surrogate replaced by U+FFFD (as `String#toWellFormed`). */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, "\ufffd");
}

/** Whether the string holds no lone surrogate (as `String#isWellFormed`). */
export function isWellFormed(s: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !LONE_SURROGATE.test(s);
}
