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
 *   insertion/deletion/formatting.id    "<clientID>-<counter>";  .author string;  .at number ≥ 0 (ms)
 *   insertion/deletion.command, .model   string | null (AI proposals)
 *   formatting.before        JSON text: an array (≤ 16) of marks {type, attrs?} the text had before
 *   <every node>.suggestNode, .suggestBreak, .suggestFrom   null | JSON text of a suggestion record:
 *                            {id, author, at, command?, model?} and op "insert"|"delete" (suggestNode),
 *                            op "split"|"join" (suggestBreak), or type (a node name) and attrs (suggestFrom)
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

/** Suggestion marks and records (shared/schema-suggestion.ts). */
const SUGGESTION: Record<string, AttrRule> = {
  id: (v) => (typeof v === "string" && /^[0-9]{1,16}-[0-9]{1,12}$/.test(v) ? v : undefined),
  author: (v) => (typeof v === "string" && v.length <= MAX_AUTHOR_CHARS * 2 ? v : undefined),
  at: (v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined),
  command: (v) => (v === null || (typeof v === "string" && v.length <= MAX_AUTHOR_CHARS) ? v : undefined),
  model: (v) => (v === null || (typeof v === "string" && v.length <= MAX_AUTHOR_CHARS) ? v : undefined),
};

/** A suggestion's marks, or the number of formatting marks text may have had. */
const MAX_BEFORE_MARKS = 16;
/** JSON text of at most this length: a record or a mark list is small. */
const MAX_RECORD_CHARS = 4 * 1024;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseJson(v: unknown): unknown {
  if (typeof v !== "string" || v.length > MAX_RECORD_CHARS) return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

/** Attributes a record or a listed mark carries: each through its rule where the node or
 * mark has one, else a scalar (or a short list of numbers: column widths). */
function attrsPass(attrs: unknown, rules: Record<string, AttrRule> = {}): boolean {
  if (attrs === undefined) return true;
  if (!isPlainObject(attrs) || Object.keys(attrs).length > 16) return false;
  return Object.entries(attrs).every(([k, v]) => (rules[k] ?? colwidthOrScalar)(v) !== undefined);
}

/** A suggestion record (JSON text) whose fields pass the mark rules, plus its own. */
const record =
  (own: (r: Record<string, unknown>) => boolean): AttrRule =>
  (v) => {
    if (v === null) return null;
    const r = parseJson(v);
    if (!isPlainObject(r)) return undefined;
    for (const key of ["id", "author", "at"]) if (SUGGESTION[key]!(r[key]) === undefined) return undefined;
    for (const key of ["command", "model"]) if (r[key] !== undefined && SUGGESTION[key]!(r[key]) === undefined) return undefined;
    return own(r) ? v : undefined;
  };

/** The three record attributes every node has (shared/schema-suggestion.ts). */
export const SUGGESTION_NODE_ATTR_RULES: Record<string, AttrRule> = {
  suggestNode: record((r) => r.op === "insert" || r.op === "delete"),
  suggestBreak: record((r) => r.op === "split" || r.op === "join"),
  suggestFrom: record(
    (r) => typeof r.type === "string" && /^[A-Za-z]{1,32}$/.test(r.type) && attrsPass(r.attrs, NODE_ATTR_RULES[r.type as string]),
  ),
};

/** The rules for a node type's attributes, the suggestion records included. */
export const nodeAttrRules = (type: string): Record<string, AttrRule> => ({ ...NODE_ATTR_RULES[type], ...SUGGESTION_NODE_ATTR_RULES });

const FORMATTING: Record<string, AttrRule> = {
  id: SUGGESTION.id!,
  author: SUGGESTION.author!,
  at: SUGGESTION.at!,
  before: (v) => {
    const list = parseJson(v);
    if (!Array.isArray(list) || list.length > MAX_BEFORE_MARKS) return undefined;
    const ok = list.every(
      (m) =>
        isPlainObject(m) &&
        typeof m.type === "string" &&
        /^[A-Za-z]{1,32}$/.test(m.type) &&
        attrsPass(m.attrs, MARK_ATTR_RULES[m.type as string]),
    );
    return ok ? v : undefined;
  },
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
  formatting: FORMATTING,
};

/** For attributes without a rule: plain JSON scalars only (never objects or Yjs types). */
export const scalarRule: AttrRule = (v) =>
  v === null || typeof v === "boolean" || typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) ? v : undefined;

const colwidthOrScalar: AttrRule = (v) => (Array.isArray(v) ? colwidth(v) : scalarRule(v));

/** A ProseMirror attribute `validate` function for a rule: throws on what the rule refuses. */
export function validatorFor(rule: AttrRule, what: string): (value: unknown) => void {
  return (value) => {
    if (rule(value) === undefined) throw new RangeError(`Invalid value for ${what}`);
  };
}
