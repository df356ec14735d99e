/**
 * Accepting and rejecting suggestions: ordinary steps on one transaction (so one undo
 * step, and the same Yjs path as any edit), in three passes whose positions are read
 * afresh each time:
 *  1. formatting and node types: accepting keeps them; rejecting puts the recorded
 *     marks, type and attributes back;
 *  2. text and whole nodes: accepting removes what was struck and keeps what was added;
 *     rejecting the other way round;
 *  3. block boundaries: a suggested split is joined back on reject, a suggested join
 *     done on accept.
 */
import type { Mark, Node as PMNode } from "@tiptap/pm/model";
import type { EditorState, Transaction } from "@tiptap/pm/state";
import type { Transform } from "@tiptap/pm/transform";
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
  type SuggestionMeta,
} from "../../../shared/schema-suggestion";
import { SUGGEST_SKIP } from "./meta";
import { breakRecord, nodeRecord, removeBoundary, setRecord } from "./nodes";
import { isFormattingMark } from "./track";

type Chosen = (r: SuggestionMeta | null | undefined) => boolean;

function marksAndTypes(tr: Transform, chosen: Chosen, accept: boolean): void {
  const { schema } = tr.doc.type;
  const fmt = schema.marks[FORMATTING_MARK]!;
  const work: (() => void)[] = [];
  tr.doc.descendants((node, pos) => {
    if (node.isText) {
      const mark = fmt.isInSet(node.marks);
      if (!mark || !chosen(mark.attrs as SuggestionMeta)) return false;
      const [from, to] = [pos, pos + node.nodeSize];
      work.push(() => {
        if (!accept) {
          for (const m of node.marks.filter(isFormattingMark)) tr.removeMark(from, to, m);
          for (const json of readMarks(mark.attrs.before)) {
            try {
              tr.addMark(from, to, schema.markFromJSON(json));
            } catch {
              // A mark this schema no longer has: the text stays without it.
            }
          }
        }
        tr.removeMark(from, to, fmt);
      });
      return false;
    }
    const from = readRecord<FromRecord>(node.attrs[SUGGEST_FROM]);
    if (from && chosen(from)) {
      work.push(() => {
        const type = schema.nodes[from.type];
        const current = tr.doc.nodeAt(pos)!;
        if (accept || !type) return setRecord(tr, pos, SUGGEST_FROM, null);
        const attrs = {
          ...from.attrs,
          [SUGGEST_NODE]: node.attrs[SUGGEST_NODE],
          [SUGGEST_BREAK]: node.attrs[SUGGEST_BREAK],
          [SUGGEST_FROM]: null,
        };
        try {
          if (!type.validContent(current.content)) throw new RangeError("content");
          tr.setNodeMarkup(pos, type, attrs, current.marks);
        } catch {
          setRecord(tr, pos, SUGGEST_FROM, null);
        }
      });
    }
    return true;
  });
  // Neither changes positions: safe in any order.
  for (const w of work) w();
}

function textAndNodes(tr: Transform, chosen: Chosen, accept: boolean): void {
  const [gone, kept] = accept ? [DELETION_MARK, INSERTION_MARK] : [INSERTION_MARK, DELETION_MARK];
  const [goneOp, keptOp] = accept ? ["delete", "insert"] : ["insert", "delete"];
  const removals: { from: number; to: number; node: boolean }[] = [];
  const clears: (() => void)[] = [];
  tr.doc.descendants((node: PMNode, pos) => {
    const end = pos + node.nodeSize;
    const rec = nodeRecord(node);
    if (rec && chosen(rec) && rec.op === goneOp) {
      removals.push({ from: pos, to: end, node: true });
      return false;
    }
    if (rec && chosen(rec) && rec.op === keptOp) clears.push(() => setRecord(tr, pos, SUGGEST_NODE, null));
    if (!node.isText) return true;
    const find = (name: string): Mark | undefined => node.marks.find((m) => m.type.name === name && chosen(m.attrs as SuggestionMeta));
    if (find(gone)) {
      const last = removals[removals.length - 1];
      if (last && !last.node && last.to === pos) last.to = end;
      else removals.push({ from: pos, to: end, node: false });
    } else {
      const mark = find(kept);
      if (mark) clears.push(() => tr.removeMark(pos, end, mark));
    }
    return false;
  });
  for (const c of clears) c();
  for (const r of removals.reverse()) {
    const from = tr.mapping.map(r.from);
    const to = tr.mapping.map(r.to);
    if (to <= from) continue;
    if (r.node) tr.deleteRange(from, to);
    else tr.delete(from, to);
  }
}

function boundaries(tr: Transform, chosen: Chosen, accept: boolean): void {
  const [joinOp, clearOp] = accept ? ["join", "split"] : ["split", "join"];
  const joins: number[] = [];
  tr.doc.descendants((node, pos) => {
    const rec = breakRecord(node);
    if (rec && chosen(rec)) {
      if (rec.op === clearOp) setRecord(tr, pos, SUGGEST_BREAK, null);
      else if (rec.op === joinOp) joins.push(pos);
    }
    return !node.isTextblock;
  });
  for (const pos of joins.reverse()) {
    const node = tr.doc.nodeAt(pos);
    if (!removeBoundary(tr, pos) && node) setRecord(tr, pos, SUGGEST_BREAK, null);
  }
}

/** Accepts (or rejects) the suggestions with these ids (all when `ids` is null) on `tr`. */
export function resolveInto(tr: Transform, ids: ReadonlySet<string> | null, accept: boolean): void {
  const chosen: Chosen = (r) => Boolean(r) && (ids === null || ids.has(String(r!.id)));
  marksAndTypes(tr, chosen, accept);
  textAndNodes(tr, chosen, accept);
  boundaries(tr, chosen, accept);
}

/** The transaction that accepts (or rejects) them, or null when there is nothing to do. */
export function resolveSuggestions(state: EditorState, ids: ReadonlySet<string> | null, accept: boolean): Transaction | null {
  const tr = state.tr.setMeta(SUGGEST_SKIP, true);
  resolveInto(tr, ids, accept);
  return tr.docChanged ? tr : null;
}
