/**
 * Suggestions in the schema. Every suggestion carries the change's id (`<Yjs
 * clientID>-<counter>`, unique per client without coordination), its author and time,
 * and for AI proposals the command and model. Accepting or rejecting is an ordinary
 * edit (client/src/suggestions).
 *
 * On text, as marks (not inclusive: nobody's typing next to a suggestion joins it):
 *  - `insertion`: text someone proposes to add;
 *  - `deletion`: text someone proposes to remove (still there, struck through);
 *  - `formatting`: text whose formatting someone changed; `before` keeps the marks it
 *    had, so rejecting can put them back.
 * On nodes, as attributes, because y-prosemirror keeps a node's attributes in the Y.Doc
 * but not marks on nodes (the approach of @handlewithcare/prosemirror-suggest-changes,
 * which uses node marks, does not survive Yjs). Each holds a small JSON record:
 *  - `suggestNode`: the whole node was suggested into the document (`op: "insert"`, a
 *    table, an image, a new paragraph) or out of it (`op: "delete"`);
 *  - `suggestBreak`: the boundary before this block was suggested: `split` (Enter made
 *    it; rejecting joins it to the block before) or `join` (Backspace at its start
 *    would remove it; accepting joins);
 *  - `suggestFrom`: the node's type and attributes before someone changed them
 *    (paragraph → heading, a list's start, a checkbox); rejecting restores them.
 */
import { Extension, type JSONContent, Mark } from "@tiptap/core";
import { MARK_ATTR_RULES, SUGGESTION_NODE_ATTR_RULES, validatorFor } from "./content-attrs";

export const INSERTION_MARK = "insertion";
export const DELETION_MARK = "deletion";
export const FORMATTING_MARK = "formatting";
/** Every mark that carries a suggestion id (`<Yjs clientID>-<counter>`): the server
 * checks that a client only introduces ids of its own client ids. */
export const SUGGESTION_MARKS: readonly string[] = [INSERTION_MARK, DELETION_MARK, FORMATTING_MARK];

export const SUGGEST_NODE = "suggestNode";
export const SUGGEST_BREAK = "suggestBreak";
export const SUGGEST_FROM = "suggestFrom";
/** Every node attribute that holds a suggestion record (with an id, as the marks). */
export const SUGGESTION_NODE_ATTRS: readonly string[] = [SUGGEST_NODE, SUGGEST_BREAK, SUGGEST_FROM];

/** What every suggestion says about itself. */
export interface SuggestionMeta {
  id: string;
  author: string;
  at: number;
  command?: string | null;
  model?: string | null;
}
export interface NodeRecord extends SuggestionMeta {
  op: "insert" | "delete";
}
export interface BreakRecord extends SuggestionMeta {
  op: "split" | "join";
}
export interface FromRecord extends SuggestionMeta {
  type: string;
  attrs: Record<string, unknown>;
}
/** A mark as `formatting.before` lists it. */
export interface MarkJSON {
  type: string;
  attrs?: Record<string, unknown>;
}

/** The record a node attribute holds, or null (absent, or not a record). */
export function readRecord<T extends SuggestionMeta>(value: unknown): T | null {
  if (typeof value !== "string") return null;
  try {
    const v = JSON.parse(value) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as T) : null;
  } catch {
    return null;
  }
}

export const writeRecord = (record: NodeRecord | BreakRecord | FromRecord): string => JSON.stringify(record);

/** The marks a `formatting` mark says the text had before. */
export function readMarks(value: unknown): MarkJSON[] {
  if (typeof value !== "string") return [];
  try {
    const v = JSON.parse(value) as unknown;
    return Array.isArray(v) ? (v as MarkJSON[]) : [];
  } catch {
    return [];
  }
}

function suggestionMark(name: string, tag: "ins" | "del" | "span", extra: Record<string, unknown> = {}) {
  const rules = MARK_ATTR_RULES[name]!;
  const attr = (key: string, fallback: unknown) => ({
    default: fallback,
    validate: validatorFor(rules[key]!, `${name}.${key}`),
    parseHTML: (el: { getAttribute(n: string): string | null }) => {
      const v = el.getAttribute(`data-${key}`);
      return key === "at" ? Number(v) : v;
    },
    renderHTML: (attrs: Record<string, unknown>) => (attrs[key] === null ? {} : { [`data-${key}`]: String(attrs[key]) }),
  });
  return Mark.create({
    name,
    inclusive: false,
    addAttributes() {
      return {
        id: attr("id", "0-0"),
        author: attr("author", ""),
        at: attr("at", 0),
        ...Object.fromEntries(Object.entries(extra).map(([k, d]) => [k, attr(k, d)])),
      };
    },
    parseHTML() {
      return [{ tag: `${tag}[data-suggestion="${name}"]` }, ...(tag === "span" ? [] : [{ tag: `${tag}[data-id]` }])];
    },
    renderHTML({ HTMLAttributes }) {
      return [tag, { ...HTMLAttributes, "data-suggestion": name, class: `suggestion suggestion-${name}` }, 0];
    },
    renderMarkdown: (node, h) => h.renderChildren(node),
  });
}

export const InsertionMark = suggestionMark(INSERTION_MARK, "ins", { command: null, model: null });
export const DeletionMark = suggestionMark(DELETION_MARK, "del", { command: null, model: null });
export const FormattingMark = suggestionMark(FORMATTING_MARK, "span", { before: "[]" });

/** The three record attributes on every node type but the document and text. Never
 * taken from pasted HTML (a copy is not a suggestion) nor kept by a split. */
export const SuggestionAttributes = Extension.create({
  name: "suggestionAttributes",
  addGlobalAttributes() {
    const types = this.extensions.filter((e) => e.type === "node" && e.name !== "doc" && e.name !== "text").map((e) => e.name);
    const attribute = (name: string, data: string) => ({
      default: null,
      keepOnSplit: false,
      validate: validatorFor(SUGGESTION_NODE_ATTR_RULES[name]!, name),
      parseHTML: () => null,
      renderHTML: (attrs: Record<string, unknown>) => {
        const r = readRecord<SuggestionMeta & { op?: string; type?: string }>(attrs[name]);
        return r ? { [`data-${data}`]: r.op ?? r.type ?? "" } : {};
      },
    });
    return [
      {
        types,
        attributes: {
          [SUGGEST_NODE]: attribute(SUGGEST_NODE, "suggest-node"),
          [SUGGEST_BREAK]: attribute(SUGGEST_BREAK, "suggest-break"),
          [SUGGEST_FROM]: attribute(SUGGEST_FROM, "suggest-from"),
        },
      },
    ];
  },
});

/** A node as ProseMirror JSON without the suggestion records it does not hold: every
 * node type has them, but JSON (exports, imports, tests) reads as it did before. */
export function nodeJson(node: { toJSON(): unknown }): JSONContent {
  const root = node.toJSON() as JSONContent;
  const stack: JSONContent[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.attrs) {
      // A copy: toJSON hands out the node's own attributes object.
      const attrs = { ...n.attrs };
      for (const a of SUGGESTION_NODE_ATTRS) if (attrs[a] === null) delete attrs[a];
      if (Object.keys(attrs).length === 0) delete n.attrs;
      else n.attrs = attrs;
    }
    if (n.content) stack.push(...n.content);
  }
  return root;
}
