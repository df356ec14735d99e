/**
 * Placing already valid nodes into a parent's content expression (ContentMatch), for
 * content-normalize.ts: as they are, after a required filler, inside wrappers, or as
 * their text, never dropping text. Only textblocks and leaves are ever wrapped, so a
 * subtree never ends up deeper than where the normalizer put it.
 */
import { Fragment, type Node as PMNode, type NodeType, type Schema } from "@tiptap/pm/model";

/** Fits valid nodes into `parent`'s content expression. Nodes are placed as they are,
 * after a required filler (a list item starts with a paragraph), or, for textblocks
 * and leaves only, inside wrappers (a paragraph in a table needs a row and a cell).
 * A container that does not fit is replaced by the blocks it holds, so wrapping never
 * pushes a subtree deeper than its place (see FLATTEN_DEPTH). Never drops text. */
export function fitContent(schema: Schema, parent: NodeType, nodes: PMNode[]): PMNode[] {
  const out: PMNode[] = [];
  let match = parent.contentMatch;
  const place = (node: PMNode): boolean => {
    const direct = match.matchType(node.type);
    if (direct) {
      out.push(node);
      match = direct;
      return true;
    }
    const fill = match.fillBefore(Fragment.from(node));
    const after = fill ? match.matchFragment(fill)?.matchType(node.type) : null;
    if (fill && after) {
      fill.forEach((n) => {
        out.push(n);
      });
      out.push(node);
      match = after;
      return true;
    }
    if (!node.isTextblock && !node.isLeaf) return false;
    const wrap = match.findWrapping(node.type);
    if (wrap && wrap.length > 0) {
      let inner: PMNode | null = node;
      for (let i = wrap.length - 1; i >= 0 && inner; i--) inner = wrap[i]!.createAndFill(null, inner);
      const next = inner ? match.matchType(inner.type) : null;
      if (inner && next) {
        out.push(inner);
        match = next;
        return true;
      }
    }
    for (let i = 0; i < match.edgeCount; i++) {
      const { type, next } = match.edge(i);
      if (type.isLeaf || type.isTextblock) continue;
      const wrapped = type.createAndFill(null, node);
      if (wrapped) {
        out.push(wrapped);
        match = next;
        return true;
      }
    }
    return false;
  };
  const paragraph = schema.nodes.paragraph!;
  for (const node of nodes) {
    if (place(node)) continue;
    for (const inner of node.isTextblock || node.isLeaf ? [node] : blocksOf(node)) {
      if (place(inner)) continue;
      const text = inner.isTextblock ? keepAllowed(paragraph, inner) : altText(schema, inner);
      if (text.length > 0) place(paragraph.createChecked(null, text));
    }
  }
  const end = match.fillBefore(Fragment.empty, true);
  end?.forEach((n) => {
    out.push(n);
  });
  return out;
}

/** The textblocks and leaf blocks inside a node, in order, without their containers. */
export function blocksOf(node: PMNode): PMNode[] {
  const out: PMNode[] = [];
  node.descendants((n) => {
    if (n.isTextblock || (n.isLeaf && n.isBlock)) {
      out.push(n);
      return false;
    }
    return true;
  });
  return out;
}

function altText(schema: Schema, node: PMNode): PMNode[] {
  return node.type.name === "image" && typeof node.attrs.alt === "string" && node.attrs.alt !== "" ? [schema.text(node.attrs.alt)] : [];
}

function keepAllowed(type: NodeType, from: PMNode): PMNode[] {
  const out: PMNode[] = [];
  from.forEach((n) => {
    if (type.contentMatch.matchType(n.type)) out.push(n.mark(n.marks.filter((m) => type.allowsMarkType(m.type))));
  });
  return out;
}
