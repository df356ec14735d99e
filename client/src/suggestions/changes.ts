/**
 * The suggestions in a document, and accepting or rejecting them: one ordinary
 * transaction each (so one undo step, and the same Yjs path as any edit). Accepting an
 * insertion drops its mark; accepting a deletion removes its text. Rejecting does the
 * opposite.
 */
import type { Node as PMNode } from "@tiptap/pm/model";
import type { EditorState, Transaction } from "@tiptap/pm/state";
import { DELETION_MARK, INSERTION_MARK } from "../../../shared/schema-suggestion";
import { SUGGEST_SKIP } from "./transform";

export interface Suggestion {
  id: string;
  kind: "insertion" | "deletion";
  author: string;
  at: number;
  command: string | null;
  model: string | null;
  text: string;
  ranges: { from: number; to: number }[];
}

export function suggestions(doc: PMNode): Suggestion[] {
  const byKey = new Map<string, Suggestion>();
  doc.descendants((node, pos) => {
    if (!node.isText) return;
    for (const mark of node.marks) {
      const kind = mark.type.name === INSERTION_MARK ? "insertion" : mark.type.name === DELETION_MARK ? "deletion" : null;
      if (!kind) continue;
      const id = String(mark.attrs.id);
      const key = `${kind}:${id}`;
      const s = byKey.get(key) ?? {
        id,
        kind,
        author: String(mark.attrs.author ?? ""),
        at: Number(mark.attrs.at ?? 0),
        command: (mark.attrs.command as string | null) ?? null,
        model: (mark.attrs.model as string | null) ?? null,
        text: "",
        ranges: [],
      };
      s.text += node.text ?? "";
      const last = s.ranges[s.ranges.length - 1];
      if (last && last.to === pos) last.to = pos + node.nodeSize;
      else s.ranges.push({ from: pos, to: pos + node.nodeSize });
      byKey.set(key, s);
    }
  });
  return [...byKey.values()];
}

/** Accepts (or rejects) the suggestions with these ids (all when `ids` is null). */
export function resolveSuggestions(state: EditorState, ids: ReadonlySet<string> | null, accept: boolean): Transaction | null {
  const tr = state.tr.setMeta(SUGGEST_SKIP, true);
  const ins = state.schema.marks[INSERTION_MARK]!;
  const del = state.schema.marks[DELETION_MARK]!;
  const chosen = suggestions(state.doc).filter((s) => ids === null || ids.has(s.id));
  const removals: { from: number; to: number }[] = [];
  for (const s of chosen) {
    const drop = (s.kind === "insertion") !== accept;
    for (const r of s.ranges) {
      if (drop) removals.push(r);
      else tr.removeMark(r.from, r.to, s.kind === "insertion" ? ins : del);
    }
  }
  // Back to front, so earlier positions stay valid.
  removals.sort((a, b) => b.from - a.from);
  for (const r of removals) tr.delete(tr.mapping.map(r.from), tr.mapping.map(r.to));
  return tr.docChanged ? tr : null;
}
