/**
 * Writing Markdown that means exactly what the document holds. Tiptap's own renderers
 * for links, images and code blocks paste attribute values into the syntax unescaped:
 * a `)` in an address or a `"` in a title ends the construct early, a code block holding
 * a ``` line closes its fence and turns the rest into live Markdown, a language such as
 * `js"><script>` lands in the info string. These helpers escape each part, and links and
 * images are written only when their address passes the allowlist (otherwise just their
 * text, so nothing unsafe comes out as a live link).
 */
import { safeHref } from "./links";

/** Line breaks inside a label or title would end the construct; a space keeps the text. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");

/** An address as a link destination: bare when nothing in it needs care, else in <…>. */
export function markdownDestination(url: string): string {
  if (/^[^\s<>()\\]*$/.test(url)) return url;
  return `<${url.replace(/[\\<>]/g, "\\$&")}>`;
}

/** A link or image title in double quotes. */
export function markdownTitle(title: unknown): string {
  return typeof title === "string" && title !== "" ? ` "${oneLine(title).replace(/["\\]/g, "\\$&")}"` : "";
}

/** Text inside [ ] (image alt text): brackets and backslashes escaped. */
export function markdownLabel(text: string): string {
  return oneLine(text).replace(/[\\[\]]/g, "\\$&");
}

/** Text outside any construct, written literally (for an image whose address is refused). */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]~<>!&#|]/g, "\\$&");
}

export function markdownImage(attrs: Record<string, unknown>): string {
  const alt = typeof attrs.alt === "string" ? attrs.alt : "";
  const src = safeHref(attrs.src);
  if (src === null) return markdownText(alt);
  return `![${markdownLabel(alt)}](${markdownDestination(src)}${markdownTitle(attrs.title)})`;
}

/** `text` is already rendered Markdown (the link's content). */
export function markdownLink(text: string, attrs: Record<string, unknown>): string {
  const href = safeHref(attrs.href);
  if (href === null) return text;
  return `[${text}](${markdownDestination(href)}${markdownTitle(attrs.title)})`;
}

/** Info strings Quire writes after a fence: a plain language name or nothing. */
export function fenceInfo(language: unknown): string {
  return typeof language === "string" && /^[A-Za-z0-9_+#.-]{1,32}$/.test(language) ? language : "";
}

/** A backtick fence longer than any backtick run in the code, so the code cannot close it. */
export function codeFence(code: string): string {
  let longest = 0;
  for (const m of code.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return "`".repeat(Math.max(3, longest + 1));
}
