/**
 * The document without its pending suggestions, as exports, the word count and AI input
 * read it ("accepted": only what has been accepted counts; suggested insertions are
 * out, suggested deletions still in, formatting and node types as they were, suggested
 * paragraph breaks joined back). The same result as rejecting every suggestion
 * (client/src/suggestions/resolve.ts), built in one linear pass over the nodes instead
 * of one step per suggestion, so a document with thousands of suggestions exports fast.
 * And the document with every suggestion in, but no record of them ("include").
 */
import { Fragment, type Mark, type Node as PMNode } from "@tiptap/pm/model";
import {
  DELETION_MARK,
  FORMATTING_MARK,
  type FromRecord,
  INSERTION_MARK,
  readMarks,
  readRecord,
  SUGGEST_BREAK,
  SUGGEST_FROM,
  SUGGEST_NODE,
  SUGGESTION_NODE_ATTRS,
  type SuggestionMeta,
} from "./schema-suggestion";

const recordOp = (node: PMNode, attr: string) => readRecord<SuggestionMeta & { op?: string }>(node.attrs[attr])?.op;

/** The attributes without suggestion records (and the rest as given). */
function cleared(node: PMNode, attrs: Record<string, unknown> = node.attrs): Record<string, unknown> {
  if (!SUGGESTION_NODE_ATTRS.some((a) => a in attrs)) return attrs;
  const out = { ...attrs };
  for (const a of SUGGESTION_NODE_ATTRS) if (a in out) out[a] = null;
  return out;
}

/** Text as it was: no insertion (null), no deletion mark, formatting as recorded. */
function originalText(node: PMNode): PMNode | null {
  if (node.marks.some((m) => m.type.name === INSERTION_MARK)) return null;
  const fmt = node.marks.find((m) => m.type.name === FORMATTING_MARK);
  let marks: readonly Mark[] = node.marks.filter((m) => m.type.name !== DELETION_MARK && m.type.name !== FORMATTING_MARK);
  if (fmt) {
    const { schema } = node.type;
    marks = marks.filter((m) => m.type.name === "comment");
    for (const json of readMarks(fmt.attrs.before)) {
      try {
        marks = schema.markFromJSON(json).addToSet(marks);
      } catch {
        // A mark the schema no longer has.
      }
    }
  }
  return node.mark(marks);
}

/**
 * `b` joined onto the end of `a` (a suggested split undone): the last textblock of `a`
 * takes in the first textblock of `b`, and what else `b` held follows it, as deleting
 * the boundary between them does in the editor. The nodes that replace both, or null
 * when they cannot be joined.
 */
function join(a: PMNode, b: PMNode): PMNode[] | null {
  if (a.isTextblock && b.isTextblock) {
    const content = a.content.append(b.content);
    return a.type.validContent(content) ? [a.copy(content)] : null;
  }
  // Not into or out of a table's cells (nor any isolating node), as in the editor.
  if (a.isLeaf || b.isLeaf || a.type.spec.isolating || b.type.spec.isolating) return null;
  if (!a.isTextblock) {
    if (!a.lastChild) return null;
    const inner = join(a.lastChild, b);
    if (!inner) return null;
    const content = withoutLast(a.content).append(Fragment.fromArray(inner));
    return a.type.validContent(content) ? [a.copy(content)] : null;
  }
  if (!b.firstChild) return null;
  const inner = join(a, b.firstChild);
  if (!inner) return null;
  const rest = withoutFirst(b.content);
  if (rest.childCount === 0) return inner;
  return b.type.validContent(rest) ? [...inner, b.copy(rest)] : [...inner, ...childrenOf(rest)];
}

const childrenOf = (f: Fragment) => {
  const out: PMNode[] = [];
  f.forEach((c) => {
    out.push(c);
  });
  return out;
};
const withoutFirst = (f: Fragment) => Fragment.fromArray(childrenOf(f).slice(1));
const withoutLast = (f: Fragment) => Fragment.fromArray(childrenOf(f).slice(0, -1));

function original(node: PMNode): PMNode | null {
  if (node.isText) return originalText(node);
  if (recordOp(node, SUGGEST_NODE) === "insert") return null;
  const children: PMNode[] = [];
  node.forEach((child) => {
    const kept = original(child);
    if (!kept) return;
    const prev = children[children.length - 1];
    const joined = prev && recordOp(child, SUGGEST_BREAK) === "split" ? join(prev, kept) : null;
    if (joined) children.splice(children.length - 1, 1, ...joined);
    else children.push(kept);
  });
  const content = Fragment.fromArray(children);
  // A list whose every item was only suggested goes with them (as deleting them would).
  if (children.length === 0 && node.childCount > 0 && !node.type.validContent(content) && node.type !== node.type.schema.topNodeType)
    return null;
  const from = readRecord<FromRecord>(node.attrs[SUGGEST_FROM]);
  const type = from ? node.type.schema.nodes[from.type] : undefined;
  if (from && type?.validContent(content)) {
    try {
      return type.create(cleared(node, { ...from.attrs }), content, node.marks);
    } catch {
      // Attributes the type refuses: the node stays as it is now.
    }
  }
  return node.type.create(cleared(node), content, node.marks);
}

/** The document as it stands before any pending suggestion is taken (see above). */
export function originalDoc(doc: PMNode): PMNode {
  const out = original(doc) ?? doc.type.create();
  // A document (or a container) left without the content it needs gets it filled.
  return out.type.validContent(out.content) ? out : (out.type.createAndFill(out.attrs, out.content) ?? out);
}

/** The document with every suggestion in it, as if accepted, but without their marks
 * and records: what `?suggestions=include` exports. */
export function withSuggestionsShown(doc: PMNode): PMNode {
  const strip = (node: PMNode): PMNode => {
    if (node.isText) return node.mark(node.marks.filter((m) => ![INSERTION_MARK, DELETION_MARK, FORMATTING_MARK].includes(m.type.name)));
    const children: PMNode[] = [];
    node.forEach((c) => {
      children.push(strip(c));
    });
    return node.type.create(cleared(node), Fragment.fromArray(children), node.marks);
  };
  return strip(doc);
}
