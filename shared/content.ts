/**
 * The one way a Y.XmlFragment (y-prosemirror's layout of the document) becomes
 * ProseMirror JSON outside the editor: exports, version reads and restores, AI
 * selection reading, the browser's render guard.
 *
 * Written against yjs alone, on purpose: y-tiptap's converters may write to the Y.Doc
 * they read (they merge adjacent texts and delete what does not fit the schema), which
 * must never happen to the server's authoritative copy; and in the workerd test pool a
 * second yjs instance breaks y-tiptap's instanceof checks, so types are recognised by
 * shape here, not by class. Reading is iterative (any nesting depth), and the result
 * goes through ContentNormalizer: unknown nodes, marks and attributes are dropped,
 * nesting past MAX_CONTENT_DEPTH is flattened, and the JSON always passes
 * `schema.nodeFromJSON(json).check()`.
 */
import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import type * as Y from "yjs";
import { ContentNormalizer, type RawNode } from "./content-normalize";
import { nodeJson } from "./schema-suggestion";

/** y-prosemirror stores overlapping marks of one type as `name--<8 char hash>`. */
export const markName = (key: string): string => /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;

type Delta = { insert?: unknown; attributes?: Record<string, unknown> }[];

interface XmlTextLike {
  toDelta(): Delta;
}
interface XmlElementLike {
  nodeName: string;
  getAttributes(): Record<string, unknown>;
  toArray(): unknown[];
}

/** Yjs classes by shape (see the header): XmlText (and plain Y.Text) has a delta;
 * XmlElement has a node name; a nested XmlFragment has children but no name. */
function kindOf(t: unknown): "text" | "element" | "fragment" | null {
  if (typeof t !== "object" || t === null) return null;
  const o = t as Record<string, unknown>;
  if (typeof o.toDelta === "function") return "text";
  if (typeof o.nodeName === "string" && typeof o.getAttributes === "function" && typeof o.toArray === "function") {
    return "element";
  }
  if (typeof o.toArray === "function" && typeof o.toDOM === "function") return "fragment";
  return null;
}

function textNodes(text: XmlTextLike): RawNode[] {
  const out: RawNode[] = [];
  for (const op of text.toDelta()) {
    if (typeof op.insert !== "string" || op.insert === "") continue; // embeds are not content here
    const marks = Object.entries(op.attributes ?? {}).map(([key, attrs]) => ({ type: markName(key), attrs }));
    out.push({ type: "text", text: op.insert, marks });
  }
  return out;
}

/** The fragment as a raw tree, read without recursion. Unknown kinds of Yjs types are
 * left out; a nested fragment is kept as a nameless wrapper (the normalizer unwraps it). */
export function readFragment(fragment: Y.XmlFragment): RawNode {
  const root: { type: string; content: RawNode[] } = { type: "doc", content: [] };
  const stack: [unknown[], RawNode[]][] = [[fragment.toArray(), root.content]];
  while (stack.length > 0) {
    const [children, into] = stack.pop()!;
    for (const child of children) {
      const kind = kindOf(child);
      if (kind === "text") {
        into.push(...textNodes(child as XmlTextLike));
      } else if (kind === "element" || kind === "fragment") {
        const el = child as XmlElementLike;
        const content: RawNode[] = [];
        into.push(kind === "element" ? { type: el.nodeName, attrs: el.getAttributes(), content } : { content });
        stack.push([el.toArray(), content]);
      }
    }
  }
  return root;
}

const normalizers = new WeakMap<Schema, ContentNormalizer>();

/** The fragment as a checked ProseMirror document. */
export function fragmentToDoc(fragment: Y.XmlFragment, schema: Schema): PMNode {
  let normalizer = normalizers.get(schema);
  if (!normalizer) {
    normalizer = new ContentNormalizer(schema);
    normalizers.set(schema, normalizer);
  }
  return normalizer.doc(readFragment(fragment));
}

/** The fragment as ProseMirror JSON (`type: "doc"`), valid for `schema`. */
export function fragmentToJson(fragment: Y.XmlFragment, schema: Schema): JSONContent {
  return nodeJson(fragmentToDoc(fragment, schema));
}
