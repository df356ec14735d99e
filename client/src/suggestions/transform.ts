/**
 * Suggestion mode as a pure function of ProseMirror states, so it can be tested
 * without a view: given a local transaction that changed the document, the
 * transaction to append that turns it into a suggestion. Inserted text gets an
 * insertion mark; deleted text is put back with a deletion mark, except text that was
 * itself a suggested insertion (deleting a proposal just removes it).
 */
import { Fragment, type Mark, type Node as PMNode, Slice } from "@tiptap/pm/model";
import { type EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { ReplaceStep } from "@tiptap/pm/transform";
import { DELETION_MARK, INSERTION_MARK } from "../../../shared/schema-suggestion";

/** Transactions carrying this meta are left alone (accept/reject, our own appends). */
export const SUGGEST_SKIP = "quire-suggest-skip";
/** A transaction carrying this meta (a SuggestAs) becomes a suggestion whether or not
 * suggestion mode is on, attributed as it says (an AI answer applied as "Suggest"). */
export const SUGGEST_AS = "quire-suggest-as";

export interface SuggestAs {
  author: string;
  command: string | null;
  model: string | null;
}

export interface SuggestOptions {
  author: string;
  /** A fresh change id: `${clientID}-${counter}`. */
  nextId(): string;
  /** The id prefix of this client (`${clientID}-`), to keep typing in one change. */
  ownPrefix: string;
  now(): number;
  /** Recorded on the marks of AI proposals. */
  command?: string | null;
  model?: string | null;
}

/** Removes suggested insertions from deleted content (they vanish instead). */
function withoutInsertions(fragment: Fragment): Fragment {
  const kept: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) {
      if (!node.marks.some((m) => m.type.name === INSERTION_MARK)) kept.push(node);
    } else kept.push(node.copy(withoutInsertions(node.content)));
  });
  return Fragment.from(kept);
}

/** The insertion mark right before `pos`, when it is this client's (keep typing in it). */
function ownInsertionBefore(doc: PMNode, pos: number, prefix: string): Mark | null {
  if (pos <= 0) return null;
  const $pos = doc.resolve(pos);
  const before = $pos.nodeBefore;
  const mark = before?.marks.find((m) => m.type.name === INSERTION_MARK);
  return mark && String(mark.attrs.id).startsWith(prefix) ? mark : null;
}

const attrsOf = (o: SuggestOptions) => ({
  id: o.nextId(),
  author: o.author,
  at: o.now(),
  command: o.command ?? null,
  model: o.model ?? null,
});

export function suggestTransaction(tr: Transaction, oldState: EditorState, newState: EditorState, o: SuggestOptions): Transaction | null {
  const schema = newState.schema;
  const insertion = schema.marks[INSERTION_MARK];
  const deletion = schema.marks[DELETION_MARK];
  if (!insertion || !deletion) return null;
  const out = newState.tr;
  out.setMeta(SUGGEST_SKIP, true);
  let cursor: number | null = null;
  tr.steps.forEach((step, i) => {
    if (!(step instanceof ReplaceStep)) return;
    const { from, to, slice } = step as unknown as { from: number; to: number; slice: Slice };
    const before = tr.docs[i]!;
    const rest = tr.mapping.slice(i + 1);
    const at = out.mapping.map(rest.map(from, -1), -1);
    let end = at;
    if (slice.size > 0) {
      end = out.mapping.map(rest.map(from + slice.size, 1), 1);
      const own = ownInsertionBefore(out.doc, at, o.ownPrefix);
      const mark = (o.command ? null : own) ?? insertion.create(attrsOf(o));
      out.removeMark(at, end, deletion);
      out.addMark(at, end, mark);
    }
    if (to > from) {
      const removed = before.slice(from, to);
      const back = new Slice(withoutInsertions(removed.content), removed.openStart, removed.openEnd);
      if (back.content.size === 0) return;
      const sizeBefore = out.doc.content.size;
      out.replace(at, at, back);
      const added = out.doc.content.size - sizeBefore;
      if (added <= 0) return;
      // Keep an earlier deletion's mark (and id) where there was one.
      let fresh: Mark | null = null;
      out.doc.nodesBetween(at, at + added, (node, pos) => {
        if (!node.isText || node.marks.some((m) => m.type.name === DELETION_MARK)) return;
        fresh ??= deletion.create(attrsOf(o));
        out.addMark(Math.max(pos, at), Math.min(pos + node.nodeSize, at + added), fresh);
      });
      // The struck text goes back before what was typed over it; the caret stays after
      // the typed text (else the next key lands before it: "NEW" became "EWN").
      // Without typed text, Backspace leaves the caret before what it struck; Delete after.
      const sel = oldState.selection;
      cursor = slice.size > 0 ? end + added : sel.empty && sel.head === to ? at : at + added;
    }
  });
  if (!out.docChanged) return null;
  if (cursor !== null) out.setSelection(TextSelection.near(out.doc.resolve(Math.min(cursor, out.doc.content.size))));
  return out;
}
