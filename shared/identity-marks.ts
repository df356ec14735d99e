/**
 * Marks of identity: marks that say who did something, or tie text to something only
 * the server makes. A suggestion mark (shared/schema-suggestion.ts) carries a change id
 * `<Yjs clientID>-<counter>` and its author's name; a comment mark (schema-comment.ts)
 * ties text to a thread the server created. Only the editor makes them, as its own
 * person (suggestion mode) or the server does (comment anchors), so content that comes
 * from elsewhere (an AI answer, pasted HTML) loses them when it is read, and the server
 * refuses updates that forge them (worker/room/identity-marks.ts).
 */
import { Fragment, type Node as PMNode, Slice } from "@tiptap/pm/model";
import { COMMENT_MARK } from "./comments";
import { SUGGESTION_MARKS, SUGGESTION_NODE_ATTRS } from "./schema-suggestion";

export const IDENTITY_MARKS: readonly string[] = [...SUGGESTION_MARKS, COMMENT_MARK];

const isIdentity = (name: string) => IDENTITY_MARKS.includes(name);

/** `fragment` without any mark of identity or node suggestion record, on any node at any depth (the same object
 * when there was none). */
export function withoutIdentityMarks(fragment: Fragment): Fragment {
  let changed = false;
  const out: PMNode[] = [];
  fragment.forEach((node) => {
    let next = node;
    if (!node.isText && node.content.size > 0) {
      const inner = withoutIdentityMarks(node.content);
      if (inner !== node.content) next = node.copy(inner);
    }
    if (node.marks.some((m) => isIdentity(m.type.name))) next = next.mark(node.marks.filter((m) => !isIdentity(m.type.name)));
    // A node's suggestion record says who suggested it, as a mark does.
    if (SUGGESTION_NODE_ATTRS.some((a) => node.attrs[a] != null)) {
      const attrs = { ...next.attrs };
      for (const a of SUGGESTION_NODE_ATTRS) if (a in attrs) attrs[a] = null;
      next = next.type.create(attrs, next.content, next.marks);
    }
    if (next !== node) changed = true;
    out.push(next);
  });
  // Fragment.from joins text nodes whose marks became equal.
  return changed ? Fragment.from(out) : fragment;
}

export function sliceWithoutIdentityMarks(slice: Slice): Slice {
  const content = withoutIdentityMarks(slice.content);
  return content === slice.content ? slice : new Slice(content, slice.openStart, slice.openEnd);
}

/** A suggestion id's parts: the Yjs client id that made it and its counter. */
export function parseSuggestionId(id: unknown): { client: number; counter: number } | null {
  if (typeof id !== "string") return null;
  const m = /^([0-9]{1,16})-([0-9]{1,12})$/.exec(id);
  if (!m) return null;
  const client = Number(m[1]);
  const counter = Number(m[2]);
  return Number.isSafeInteger(client) && Number.isSafeInteger(counter) ? { client, counter } : null;
}
