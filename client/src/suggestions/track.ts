/**
 * The pieces of suggesting: each takes one change as a step would make it (positions
 * in the suggested document so far) and makes the same change as a suggestion on
 * `Tracker.out`, a transaction that never removes anyone's text:
 *  - deleteRange: what would be deleted is marked (text), recorded (whole nodes, block
 *    boundaries) and kept; what was itself only suggested goes for real;
 *  - insertSlice: inserted text is marked, inserted nodes and block boundaries recorded;
 *  - changeMarkup: a node's new type or attributes applied, the old ones recorded;
 *  - changeMarks: formatting applied, the text's earlier marks recorded;
 *  - replaceBlocks: anything else (wrapping in a list, lifting, …): the blocks it
 *    touches are kept as a suggested deletion and the result inserted after them.
 */
import type { Mark, MarkType, Node as PMNode, NodeType, Slice } from "@tiptap/pm/model";
import type { Transaction } from "@tiptap/pm/state";
import type { Step } from "@tiptap/pm/transform";
import { COMMENT_MARK } from "../../../shared/comments";
import {
  DELETION_MARK,
  FORMATTING_MARK,
  type FromRecord,
  INSERTION_MARK,
  type MarkJSON,
  readMarks,
  readRecord,
  SUGGEST_BREAK,
  SUGGEST_FROM,
  SUGGEST_NODE,
  type SuggestionMeta,
  SUGGESTION_MARKS,
  writeRecord,
} from "../../../shared/schema-suggestion";
import type { SuggestOptions } from "./meta";
import { breakRecord, insideInserted, nodeRecord, plainAttrs, removeBoundary, setRecord } from "./nodes";

/** Marks that say who suggested or commented, not how text looks. */
const REVIEW_MARKS = new Set([...SUGGESTION_MARKS, COMMENT_MARK]);
export const isFormattingMark = (m: Mark) => !REVIEW_MARKS.has(m.type.name);

const markJson = (marks: readonly Mark[]): MarkJSON[] => marks.map((m) => m.toJSON() as MarkJSON);
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class Tracker {
  private meta: SuggestionMeta | null = null;
  /** Where the caret goes, when a deletion decides it (Backspace, Delete). */
  caret: number | null = null;
  readonly ins: MarkType;
  readonly del: MarkType;
  readonly fmt: MarkType;

  constructor(
    readonly out: Transaction,
    private readonly o: SuggestOptions,
  ) {
    const { marks } = out.doc.type.schema;
    this.ins = marks[INSERTION_MARK]!;
    this.del = marks[DELETION_MARK]!;
    this.fmt = marks[FORMATTING_MARK]!;
  }

  /** This change's id, author and time: one id for everything one transaction does. */
  record(): SuggestionMeta {
    this.meta ??= {
      id: this.o.nextId(),
      author: this.o.author,
      at: this.o.now(),
      ...(this.o.command ? { command: this.o.command, model: this.o.model ?? null } : {}),
    };
    return this.meta;
  }

  private textAttrs() {
    const r = this.record();
    return { id: r.id, author: r.author, at: r.at, command: r.command ?? null, model: r.model ?? null };
  }

  /** The insertion mark for text typed at `pos`: this client's own insertion right
   * before it when there is one (typing goes on in the same change), else a new one. */
  insertionAt(pos: number): Mark {
    const before = this.out.doc.resolve(pos).nodeBefore;
    const own = before?.isText ? this.ins.isInSet(before.marks) : undefined;
    if (own && !this.o.command && String(own.attrs.id).startsWith(this.o.ownPrefix)) return own;
    return this.ins.create(this.textAttrs());
  }

  deletion(): Mark {
    return this.del.create(this.textAttrs());
  }

  /** Applies a step as it is (changes needing no suggestion); false if it does not apply. */
  apply(step: Step): boolean {
    return !this.out.maybeStep(step).failed;
  }
}

/** Marks [from, to) as a suggested deletion; returns where the kept range now ends. */
export function deleteRange(t: Tracker, from: number, to: number): number {
  const { out } = t;
  const doc = out.doc;
  const real: [number, number, boolean][] = []; // from, to, whole node
  const joins: number[] = [];
  let deletion: Mark | null = null;
  let opened = -2;
  doc.nodesBetween(from, to, (node, pos) => {
    const end = pos + node.nodeSize;
    if (node.isText) {
      const [a, b] = [Math.max(pos, from), Math.min(end, to)];
      if (a >= b) return false;
      if (t.ins.isInSet(node.marks) || insideInserted(doc.resolve(pos))) real.push([a, b, false]);
      else if (!t.del.isInSet(node.marks)) {
        deletion ??= t.deletion();
        out.addMark(a, b, deletion);
      }
      return false;
    }
    if (pos >= from && end <= to) {
      const op = nodeRecord(node)?.op;
      if (op === "insert" || insideInserted(doc.resolve(pos))) real.push([pos, end, true]);
      else if (op !== "delete") {
        setRecord(out, pos, SUGGEST_NODE, writeRecord({ ...t.record(), op: "delete" }));
        // Its text struck too, so that it reads (and lists) as deleted text.
        node.descendants((child, at) => {
          if (child.isText && !t.ins.isInSet(child.marks) && !t.del.isInSet(child.marks)) {
            deletion ??= t.deletion();
            out.addMark(pos + 1 + at, pos + 1 + at + child.nodeSize, deletion);
          }
        });
      }
      return false;
    }
    if (pos >= from && pos < to && pos !== opened + 1) {
      // Its start is deleted, its end is not: the boundary before it goes.
      const op = breakRecord(node)?.op;
      if (op === "split") joins.push(pos);
      else if (op !== "join" && !insideInserted(doc.resolve(pos)))
        setRecord(out, pos, SUGGEST_BREAK, writeRecord({ ...t.record(), op: "join" }));
      opened = pos;
    } else if (pos === opened + 1) opened = pos;
    return true;
  });
  const first = out.steps.length;
  for (const [a, b, whole] of real.sort((x, y) => y[0] - x[0])) {
    if (whole) out.deleteRange(a, b);
    else out.delete(a, b);
  }
  // Deleting across a boundary someone only suggested (Enter, then Backspace) joins for real.
  for (const pos of joins.sort((x, y) => y - x)) removeBoundary(out, out.mapping.slice(first).map(pos));
  return out.mapping.slice(first).map(to, -1);
}

/** Inserts `slice` at `pos` as a suggestion; returns the inserted range. */
export function insertSlice(t: Tracker, pos: number, slice: Slice): { from: number; to: number } | null {
  const { out } = t;
  const mark = t.insertionAt(pos);
  const steps = out.steps.length;
  out.replace(pos, pos, slice);
  if (out.steps.length === steps) return null;
  let to = pos;
  out.steps[steps]!.getMap().forEach((_a, _b, start, end) => {
    to = Math.max(to, end);
    pos = Math.min(pos, start);
  });
  const from = pos;
  const doc = out.doc;
  let opened = -2;
  doc.nodesBetween(from, to, (node, p) => {
    const end = p + node.nodeSize;
    if (insideInserted(doc.resolve(p))) return false;
    if (node.isText) {
      const [a, b] = [Math.max(p, from), Math.min(end, to)];
      out.removeMark(a, b, t.del);
      out.removeMark(a, b, t.fmt);
      out.addMark(a, b, mark);
      return false;
    }
    if (p >= from && end <= to) {
      setRecord(out, p, SUGGEST_NODE, writeRecord({ ...t.record(), op: "insert" }));
      setRecord(out, p, SUGGEST_BREAK, null);
      setRecord(out, p, SUGGEST_FROM, null);
      // Its text marked too, so that it reads (and lists) as inserted text.
      node.descendants((child, at) => {
        if (!child.isText) return true;
        const [a, b] = [p + 1 + at, p + 1 + at + child.nodeSize];
        out.removeMark(a, b, t.del);
        out.removeMark(a, b, t.fmt);
        out.addMark(a, b, mark);
        return false;
      });
      return false;
    }
    if (p >= from && p < to && p !== opened + 1) {
      // A block opened inside the inserted range (Enter, a pasted paragraph): a new boundary.
      setRecord(out, p, SUGGEST_BREAK, writeRecord({ ...t.record(), op: "split" }));
      opened = p;
    } else if (p === opened + 1) opened = p;
    return true;
  });
  return { from, to };
}

/** Changes the node at `pos` to `type` and `attrs` as a suggestion (the first type and
 * attributes kept in its record, dropped again when it goes back to them). */
export function changeMarkup(t: Tracker, pos: number, type: NodeType, attrs: Record<string, unknown>, marks?: readonly Mark[]): boolean {
  const { out } = t;
  const node = out.doc.nodeAt(pos);
  if (!node) return false;
  const keep = { [SUGGEST_NODE]: node.attrs[SUGGEST_NODE], [SUGGEST_BREAK]: node.attrs[SUGGEST_BREAK] };
  const next: Record<string, unknown> = { ...attrs, ...keep, [SUGGEST_FROM]: node.attrs[SUGGEST_FROM] ?? null };
  if (!insideInserted(out.doc.resolve(pos + 1))) {
    const prev = readRecord<FromRecord>(node.attrs[SUGGEST_FROM]);
    const base = prev ? { type: prev.type, attrs: prev.attrs } : { type: node.type.name, attrs: plainAttrs(node) };
    const now = plainAttrs(type.create({ ...attrs, [SUGGEST_FROM]: null }));
    next[SUGGEST_FROM] =
      base.type === type.name && sameJson(base.attrs, now) ? null : writeRecord({ ...t.record(), type: base.type, attrs: base.attrs });
  }
  try {
    out.setNodeMarkup(pos, type, next, marks ?? node.marks);
    return true;
  } catch {
    return false;
  }
}

/** Adds or removes a formatting mark over [from, to) as a suggestion. Suggestion and
 * comment marks themselves, and text that is itself a suggested insertion, change as asked. */
export function changeMarks(t: Tracker, from: number, to: number, mark: Mark | MarkType, add: boolean): void {
  const { out } = t;
  const type = "type" in mark ? mark.type : mark;
  const direct = () => (add ? out.addMark(from, to, mark as Mark) : out.removeMark(from, to, mark));
  if (REVIEW_MARKS.has(type.name)) return void direct();
  const doc = out.doc;
  const pieces: { a: number; b: number; node: PMNode }[] = [];
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    const [a, b] = [Math.max(pos, from), Math.min(pos + node.nodeSize, to)];
    if (a < b) pieces.push({ a, b, node });
    return false;
  });
  for (const { a, b, node } of pieces) {
    const current = node.marks.filter(isFormattingMark);
    const after = add ? (mark as Mark).addToSet(current) : "type" in mark ? mark.removeFromSet(current) : type.removeFromSet(current);
    if (sameJson(markJson(current), markJson(after))) continue;
    if (add) out.addMark(a, b, mark as Mark);
    else out.removeMark(a, b, mark);
    if (t.ins.isInSet(node.marks) || insideInserted(doc.resolve(a))) continue;
    const earlier = t.fmt.isInSet(node.marks);
    const before = earlier ? readMarks(earlier.attrs.before) : markJson(current);
    if (sameJson(before, markJson(after))) out.removeMark(a, b, t.fmt);
    else {
      const r = t.record();
      out.addMark(a, b, t.fmt.create({ id: r.id, author: r.author, at: r.at, before: JSON.stringify(before) }));
    }
  }
}

/**
 * Any other structural change of the blocks in [from, to) of the current document into
 * `next` (the document the change makes): the smallest run of sibling blocks around it
 * that holds both before and after is kept as a suggested deletion, and its new version
 * inserted after it as a suggested insertion. Returns the new version's range, or null.
 */
export function replaceBlocks(
  t: Tracker,
  from: number,
  to: number,
  next: PMNode,
  map: { map(pos: number, assoc?: number): number },
): { from: number; to: number; depth: number } | null {
  const { out } = t;
  const doc = out.doc;
  const $a = doc.resolve(from);
  const $b = doc.resolve(to);
  for (let d = Math.min($a.sharedDepth(to), $a.depth, $b.depth); d >= 0; d--) {
    const start = $a.depth > d ? $a.before(d + 1) : $a.pos;
    const end = $b.depth > d ? $b.after(d + 1) : $b.pos;
    const start2 = map.map(start, -1);
    const end2 = map.map(end, 1);
    const $s2 = next.resolve(start2);
    const $e2 = next.resolve(end2);
    if ($s2.depth !== d || $e2.depth !== d || $s2.start(d) !== $e2.start(d)) continue;
    const parent = $a.node(d);
    const old = doc.slice(start, end).content;
    const fresh = next.slice(start2, end2).content;
    if (!parent.canReplace($a.index(d), $b.indexAfter(d), old.append(fresh))) continue;
    if (insideInserted(doc.resolve(start))) return null; // all new: the caller applies it as it is
    out.insert(end, fresh);
    const r = writeRecord({ ...t.record(), op: "insert" });
    let at = end;
    fresh.forEach((child) => {
      setRecord(out, at, SUGGEST_NODE, r);
      at += child.nodeSize;
    });
    // The old blocks stay, as a deletion; those that were only suggested go for real.
    const gone: [number, number][] = [];
    let p = start;
    old.forEach((child) => {
      if (nodeRecord(child)?.op === "insert") gone.push([p, p + child.nodeSize]);
      else if (nodeRecord(child)?.op !== "delete") setRecord(out, p, SUGGEST_NODE, writeRecord({ ...t.record(), op: "delete" }));
      p += child.nodeSize;
    });
    const first = out.steps.length;
    for (const [a, b] of gone.reverse()) out.delete(a, b);
    const m = out.mapping.slice(first);
    return { from: m.map(end), to: m.map(end + fresh.size), depth: d };
  }
  return null;
}
