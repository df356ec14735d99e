/**
 * The editor schema, restated in the terms a Yjs update uses, so the server can check
 * an update before it touches the live document (update-check.ts). Derived from the
 * same shared schema the editor runs, never written by hand, so adding a node type to
 * the editor is enough for the server to accept it.
 *
 * What y-prosemirror stores: the "default" XmlFragment holds one XmlElement per block
 * (nodeName = ProseMirror node name, node attributes as element attributes); text lives
 * in XmlText children, marks as formatting attributes on that text (key = mark name,
 * or `name--<hash>` for marks that may overlap); inline nodes such as a hard break are
 * XmlElements beside the XmlText. The "meta" map holds the title.
 */
import type { ContentMatch, NodeType, Schema } from "@tiptap/pm/model";
import { YDOC_CONTENT_FIELD, YDOC_META_MAP, YDOC_META_TITLE } from "../../shared/api";
import { MAX_ATTRIBUTE_CHARS, MAX_TITLE_CHARS } from "../../shared/limits";
import { MARK_ATTR_RULES, nodeAttrRules, type AttrRule } from "../../shared/content-attrs";
import { editorSchema, isAllowedHref } from "../../shared/schema";

/** The root the editor's content lives in, and the only other root Quire writes. */
export const CONTENT_ROOT = YDOC_CONTENT_FIELD;
export const META_ROOT = YDOC_META_MAP;

/** Keys of the meta map and what each may hold. */
const META_VALUES: Record<string, (v: unknown) => string | null> = {
  [YDOC_META_TITLE]: (v) =>
    typeof v !== "string" ? "the title must be a string" : v.length > MAX_TITLE_CHARS * 4 ? "the title is too long" : null,
};

/** Attributes whose value is a URL: they must pass the shared link allowlist. */
const URL_ATTRIBUTES = new Set(["href", "src"]);

/** y-prosemirror names an overlapping mark `name--<8 characters of hash>`. */
const OVERLAP_SUFFIX = /--[a-zA-Z0-9+/=]{8}$/;

type Check = (value: unknown) => string | null;

export interface NodeRule {
  /** Element children it may hold (any position: order is ProseMirror's business). */
  children: ReadonlySet<string>;
  /** Whether XmlText (text) may be a child. */
  text: boolean;
  attrs: ReadonlyMap<string, Check>;
}

export interface ContentRules {
  /** Children allowed directly in the content root (ProseMirror's `doc`). */
  root: NodeRule;
  nodes: ReadonlyMap<string, NodeRule>;
  marks: ReadonlyMap<string, ReadonlyMap<string, Check>>;
  /** The mark name for a formatting key, or null when it is no mark of the schema. */
  markName(key: string): string | null;
  /** Why a meta value is refused, or null. */
  checkMeta(key: string, value: unknown): string | null;
}

/** Every node type that can appear anywhere in `match`'s content expression. */
function reachable(match: ContentMatch): Set<NodeType> {
  const out = new Set<NodeType>();
  const seen = new Set<ContentMatch>();
  const todo = [match];
  while (todo.length > 0) {
    const m = todo.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    for (let i = 0; i < m.edgeCount; i++) {
      const edge = m.edge(i);
      out.add(edge.type);
      todo.push(edge.next);
    }
  }
  return out;
}

/** A check for an attribute, from its name and the type of its default value. */
function attributeCheck(name: string, defaultValue: unknown): Check {
  const primitive = (v: unknown): string | null => {
    if (v === null) return null;
    if (typeof v === "string") return v.length > MAX_ATTRIBUTE_CHARS ? `attribute ${name} is too long` : null;
    if (typeof v === "number") return Number.isFinite(v) ? null : `attribute ${name} is not a finite number`;
    if (typeof v === "boolean") return null;
    return `attribute ${name} has a value of the wrong type`;
  };
  if (URL_ATTRIBUTES.has(name)) {
    return (v) =>
      v === null
        ? null
        : typeof v === "string" && v.length <= MAX_ATTRIBUTE_CHARS && isAllowedHref(v)
          ? null
          : `attribute ${name} is not an allowed address`;
  }
  const expected = defaultValue === null || defaultValue === undefined ? null : typeof defaultValue;
  if (expected === "string" || expected === "number" || expected === "boolean") {
    return (v) => (v === null || typeof v === expected ? primitive(v) : `attribute ${name} must be a ${expected}`);
  }
  // No typed default (null): a primitive, or a short list of primitives (table column widths).
  return (v) => {
    if (!Array.isArray(v)) return primitive(v);
    if (v.length > 64) return `attribute ${name} is too long`;
    for (const item of v) {
      const why = primitive(item);
      if (why) return why;
    }
    return null;
  };
}

/** The shared attribute rules (shared/content-attrs.ts) where the schema has one,
 * else a check from the attribute's default; strings are bounded either way. */
function attributeChecks(
  spec: Record<string, { default?: unknown }> | undefined,
  rules: Record<string, AttrRule> = {},
): Map<string, Check> {
  const out = new Map<string, Check>();
  for (const [name, attr] of Object.entries(spec ?? {})) {
    const rule = rules[name];
    const fallback = attributeCheck(name, attr.default);
    out.set(
      name,
      rule
        ? (v) =>
            typeof v === "string" && v.length > MAX_ATTRIBUTE_CHARS
              ? `attribute ${name} is too long`
              : rule(v) === undefined
                ? `attribute ${name} has a value it cannot hold`
                : null
        : fallback,
    );
  }
  return out;
}

function nodeRule(type: NodeType): NodeRule {
  const attrRules = nodeAttrRules(type.name);
  const kids = reachable(type.contentMatch);
  const children = new Set<string>();
  let text = false;
  for (const k of kids) {
    if (k.isText) text = true;
    else children.add(k.name);
  }
  return { children, text, attrs: attributeChecks(type.spec.attrs as Record<string, { default?: unknown }> | undefined, attrRules) };
}

export function contentRules(schema: Schema = editorSchema()): ContentRules {
  const nodes = new Map<string, NodeRule>();
  for (const [name, type] of Object.entries(schema.nodes)) {
    if (type.isText || type === schema.topNodeType) continue;
    nodes.set(name, nodeRule(type));
  }
  const marks = new Map<string, Map<string, Check>>();
  for (const [name, type] of Object.entries(schema.marks)) {
    marks.set(name, attributeChecks(type.spec.attrs as Record<string, { default?: unknown }> | undefined, MARK_ATTR_RULES[name]));
  }
  return {
    root: nodeRule(schema.topNodeType),
    nodes,
    marks,
    markName: (key) => {
      const name = key.replace(OVERLAP_SUFFIX, "");
      return marks.has(name) ? name : null;
    },
    checkMeta: (key, value) => {
      const check = META_VALUES[key];
      return check ? check(value) : `unknown meta key ${JSON.stringify(key.slice(0, 40))}`;
    },
  };
}

let cached: ContentRules | null = null;
/** The rules for the shared schema, built once per isolate. */
export function defaultRules(): ContentRules {
  cached ??= contentRules();
  return cached;
}
