/**
 * Positions in the document's Y.XmlFragment as ProseMirror sees them (the content
 * itself is read by shared/content.ts). Written against yjs alone on purpose: y-tiptap's
 * helpers may write to the Y.Doc they read, which must never happen to the Durable
 * Object's authoritative copy just because someone asked the AI something; and in
 * the workerd test pool a second yjs instance breaks y-tiptap's instanceof checks.
 * Position arithmetic is y-prosemirror's (relativePositionToAbsolutePosition).
 */
import type { Schema } from "@tiptap/pm/model";
import * as Y from "yjs";
import type { RelativePositionJSON } from "../../shared/ai";
import type { AnyYType } from "../../shared/yjs-types";

/** A node's size in ProseMirror positions. Iterative: stored content may nest deeper
 * than the stack allows. */
function pmSize(t: Y.XmlElement | Y.XmlText, schema: Schema): number {
  let size = 0;
  const stack: (Y.XmlElement | Y.XmlText)[] = [t];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node instanceof Y.XmlText) size += node.length;
    else if (schema.nodes[node.nodeName]?.isLeaf) size += 1;
    else {
      size += 2;
      for (const c of node.toArray()) stack.push(c as Y.XmlElement | Y.XmlText);
    }
  }
  return size;
}

const isDeleted = (t: AnyYType) => t._item?.deleted;

/** The ProseMirror position a relative position points at now, or null if its
 * place is gone or outside the fragment. */
export function toPmPosition(ydoc: Y.Doc, fragment: Y.XmlFragment, json: RelativePositionJSON, schema: Schema): number | null {
  const abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), ydoc);
  if (!abs) return null;
  let type = abs.type as AnyYType;
  if (type !== fragment && (type._item === null || !Y.isParentOf(fragment, type._item))) return null;
  if (isDeleted(type)) return null;
  let pos: number;
  if (type instanceof Y.XmlText) {
    pos = abs.index;
  } else {
    const children = (type as Y.XmlElement | Y.XmlFragment).toArray() as (Y.XmlElement | Y.XmlText)[];
    pos = children.slice(0, abs.index).reduce((s, c) => s + pmSize(c, schema), 0) + 1; // + own start tag
  }
  while (type !== fragment && type._item !== null) {
    const parent = type._item.parent as Y.XmlElement | Y.XmlFragment;
    if (isDeleted(parent)) return null;
    pos += 1; // the parent's start tag
    for (const sibling of parent.toArray() as (Y.XmlElement | Y.XmlText)[]) {
      if (sibling === type) break;
      pos += pmSize(sibling, schema);
    }
    type = parent;
  }
  return pos - 1; // the fragment itself has no start tag
}
