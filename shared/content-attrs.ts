/**
 * What each node and mark attribute of the shared schema may hold. Content arrives
 * from peers (any Yjs value), Markdown, AI answers and old stored documents; before it
 * is rendered, exported or written, every attribute goes through its rule here: a valid
 * value is kept (possibly trimmed to its canonical form), anything else falls back to
 * the attribute's default. The schema's own `validate` for the attributes Quire adds
 * (image, table cells) uses the same rules, so ProseMirror's `check()` agrees.
 *
 * Value types, for anyone checking updates on the wire:
 *   heading.level            integer 1–6
 *   codeBlock.language       string of [A-Za-z0-9_+#.-], 1–32 chars | null
 *   orderedList.start        integer 0–999,999,999
 *   orderedList.type         string "1" | "a" | "A" | "i" | "I" | null
 *   taskItem.checked         boolean
 *   image.src                string passing the link allowlist (shared/links.ts) | null
 *   image.alt, image.title   string | null
 *   image.width              finite number > 0 | null
 *   tableCell/tableHeader.colspan, .rowspan   integer 1–1,000
 *   tableCell/tableHeader.colwidth            array of finite numbers > 0 (one per spanned column) | null
 *   tableCell/tableHeader.align               "left" | "center" | "right" | null
 *   link.href                string passing the link allowlist
 *   link.target              "_blank" | null;  link.rel, link.class, link.title: string | null
 *   comment.threadId         string of [A-Za-z0-9_-], 8–32 chars
 *   insertion/deletion.id    "<clientID>-<counter>";  .author string;  .at number ≥ 0 (ms)
 *   insertion/deletion.command, .model   string | null (AI proposals)
 */
import { isThreadId } from "./comments";
import { MAX_AUTHOR_CHARS } from "./limits";
import { safeHref } from "./links";

/** Returns the value to keep, or undefined when the value is not acceptable. */
export type AttrRule = (value: unknown) => unknown;

/** Tables wider or taller than this per cell span are junk, not layout. */
const MAX_CELL_SPAN = 1_000;

const integer =
  (min: number, max: number): AttrRule =>
  (v) =>
    typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
const stringOrNull: AttrRule = (v) => (v === null || typeof v === "string" ? v : undefined);
const oneOf =
  (...allowed: (string | null)[]): AttrRule =>
  (v) =>
    allowed.includes(v as string | null) ? v : undefined;
const positiveOrNull: AttrRule = (v) => (v === null || (typeof v === "number" && Number.isFinite(v) && v > 0) ? v : undefined);
const hrefOrNull: AttrRule = (v) => (v === null ? null : (safeHref(v) ?? undefined));
const colwidth: AttrRule = (v) =>
  v === null || (Array.isArray(v) && v.length <= MAX_CELL_SPAN && v.every((w) => typeof w === "number" && Number.isFinite(w) && w > 0))
    ? v
    : undefined;

const CELL: Record<string, AttrRule> = {
  colspan: integer(1, MAX_CELL_SPAN),
  rowspan: integer(1, MAX_CELL_SPAN),
  colwidth,
  align: oneOf("left", "center", "right", null),
};

export const NODE_ATTR_RULES: Record<string, Record<string, AttrRule>> = {
  heading: { level: integer(1, 6) },
  codeBlock: { language: (v) => (v === null || (typeof v === "string" && /^[A-Za-z0-9_+#.-]{1,32}$/.test(v)) ? v : undefined) },
  orderedList: { start: integer(0, 999_999_999), type: oneOf("1", "a", "A", "i", "I", null) },
  taskItem: { checked: (v) => (typeof v === "boolean" ? v : undefined) },
  image: { src: hrefOrNull, alt: stringOrNull, title: stringOrNull, width: positiveOrNull },
  tableCell: CELL,
  tableHeader: CELL,
};

/** insertion/deletion marks (shared/schema-suggestion.ts). */
const SUGGESTION: Record<string, AttrRule> = {
  id: (v) => (typeof v === "string" && /^[0-9]{1,16}-[0-9]{1,12}$/.test(v) ? v : undefined),
  author: (v) => (typeof v === "string" && v.length <= MAX_AUTHOR_CHARS * 2 ? v : undefined),
  at: (v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined),
  command: (v) => (v === null || (typeof v === "string" && v.length <= MAX_AUTHOR_CHARS) ? v : undefined),
  model: (v) => (v === null || (typeof v === "string" && v.length <= MAX_AUTHOR_CHARS) ? v : undefined),
};

export const MARK_ATTR_RULES: Record<string, Record<string, AttrRule>> = {
  link: {
    href: (v) => safeHref(v) ?? undefined,
    target: oneOf("_blank", null),
    rel: stringOrNull,
    class: stringOrNull,
    title: stringOrNull,
  },
  comment: { threadId: (v) => (isThreadId(v) ? v : undefined) },
  insertion: SUGGESTION,
  deletion: SUGGESTION,
};

/** For attributes without a rule: plain JSON scalars only (never objects or Yjs types). */
export const scalarRule: AttrRule = (v) =>
  v === null || typeof v === "boolean" || typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) ? v : undefined;

/** A ProseMirror attribute `validate` function for a rule: throws on what the rule refuses. */
export function validatorFor(rule: AttrRule, what: string): (value: unknown) => void {
  return (value) => {
    if (rule(value) === undefined) throw new RangeError(`Invalid value for ${what}`);
  };
}
