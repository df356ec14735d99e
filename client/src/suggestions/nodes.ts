/** Node-level suggestion helpers that both suggesting (track.ts) and resolving
 * (resolve.ts) use: reading and writing a node's records, and joining a block to the
 * one before it. */
import type { Node as PMNode, ResolvedPos } from "@tiptap/pm/model";
import { TextSelection } from "@tiptap/pm/state";
import type { Transform } from "@tiptap/pm/transform";
import {
  type BreakRecord,
  type NodeRecord,
  readRecord,
  SUGGEST_BREAK,
  SUGGEST_NODE,
  SUGGESTION_NODE_ATTRS,
} from "../../../shared/schema-suggestion";

export const nodeRecord = (node: PMNode | null | undefined) => readRecord<NodeRecord>(node?.attrs[SUGGEST_NODE]);
export const breakRecord = (node: PMNode | null | undefined) => readRecord<BreakRecord>(node?.attrs[SUGGEST_BREAK]);

/** Whether a node is a suggested insertion, or lies inside one (then it is all new:
 * changing it needs no suggestion of its own). */
export function insideInserted($pos: ResolvedPos): boolean {
  for (let d = $pos.depth; d > 0; d--) if (nodeRecord($pos.node(d))?.op === "insert") return true;
  return false;
}

/** A node's attributes without its suggestion records. */
export function plainAttrs(node: PMNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.attrs)) if (!SUGGESTION_NODE_ATTRS.includes(k)) out[k] = v;
  return out;
}

/** Sets one record attribute of the node at `pos` (null removes it). */
export function setRecord(tr: Transform, pos: number, attr: string, value: string | null): void {
  const node = tr.doc.nodeAt(pos);
  if (node && node.attrs[attr] !== value && attr in node.attrs) tr.setNodeAttribute(pos, attr, value);
}

/**
 * Removes the boundary before the block at `pos`: its first textblock joins the last
 * textblock before it, as Backspace at its start would. Refused (false) when something
 * other than structure lies between them, or a table cell's edge: then nothing changes.
 */
export function removeBoundary(tr: Transform, pos: number): boolean {
  const node = tr.doc.nodeAt(pos);
  if (!node || node.isInline) return false;
  const $pos = tr.doc.resolve(pos);
  const before = $pos.nodeBefore;
  if (!before) return false;
  const a = TextSelection.findFrom($pos, -1, true);
  const b = TextSelection.findFrom(tr.doc.resolve(pos), 1, true);
  if (!a || !b || a.from < pos - before.nodeSize || b.from > pos + node.nodeSize) return false;
  // Only structure between the two: no leaf, no whole block, no cell or other isolating edge.
  let blocked = false;
  tr.doc.nodesBetween(a.from, b.from, (n, p) => {
    if (p >= a.from && p + n.nodeSize <= b.from) blocked = true;
    return !blocked;
  });
  const isolating = ($p: ResolvedPos) => {
    for (let d = $p.depth; d > $pos.depth; d--) if ($p.node(d).type.spec.isolating) return true;
    return false;
  };
  if (blocked || isolating(a.$from) || isolating(b.$from)) return false;
  // The record goes first: what is left of the block after the join (a list keeps its
  // other items) must not ask for the join again.
  const record = node.attrs[SUGGEST_BREAK] as string | null;
  setRecord(tr, pos, SUGGEST_BREAK, null);
  const steps = tr.steps.length;
  try {
    tr.delete(a.from, b.from);
  } catch {
    // Nothing deleted.
  }
  if (tr.steps.length > steps) return true;
  setRecord(tr, pos, SUGGEST_BREAK, record);
  return false;
}
