/**
 * Suggestion mode as a pure function of ProseMirror states, so it can be tested without
 * a view: given a transaction someone made while Suggesting (not yet applied), the
 * transaction to apply instead, which makes the same change as a suggestion.
 *
 * The approach of @handlewithcare/prosemirror-suggest-changes: the original is
 * replaced before it is applied (never applied, then put back: putting the struck text
 * back in front of what was typed over it is what scrambled "NEW" into "EWN"), one step
 * at a time, each step rebased onto the suggested document so far and handled by kind
 * (track.ts). Unlike that library, node-level suggestions are attributes (Yjs keeps
 * them) and ids are `<clientID>-<counter>` with author and time, never a neighbour's.
 */
import type { Node as PMNode, Slice } from "@tiptap/pm/model";
import { type EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { AddMarkStep, AttrStep, type Mappable, RemoveMarkStep, ReplaceAroundStep, ReplaceStep, type Step } from "@tiptap/pm/transform";
import { SUGGEST_NODE, SUGGESTION_NODE_ATTRS, writeRecord } from "../../../shared/schema-suggestion";
import type { SuggestOptions } from "./meta";
import { insideInserted } from "./nodes";
import { changeMarks, changeMarkup, deleteRange, insertSlice, replaceBlocks, Tracker } from "./track";

export { SUGGEST_AS, SUGGEST_SKIP, type SuggestAs, type SuggestOptions } from "./meta";

interface Region {
  origFrom: number;
  origTo: number;
  outFrom: number;
  outTo: number;
}

const result = (pos: number) => ({ pos, deleted: false, deletedBefore: false, deletedAfter: false, deletedAcross: false });

/**
 * Maps positions of the original transaction's documents (after the steps handled so
 * far) into the suggested document: content a step inserted maps into its suggested
 * copy; anything else back to the starting document and forward through the
 * suggestion's steps.
 */
class Positions implements Mappable {
  readonly regions: Region[] = [];
  private done = 0;

  constructor(
    private readonly tr: Transaction,
    private readonly out: Transaction,
  ) {}

  map(pos: number, assoc = 1): number {
    return this.mapResult(pos, assoc).pos;
  }

  mapResult(pos: number, assoc = 1) {
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i]!;
      if (pos >= r.origFrom && pos <= r.origTo) return result(Math.min(r.outFrom + (pos - r.origFrom), r.outTo));
    }
    let p = pos;
    for (let j = this.done - 1; j >= 0; j--) p = this.tr.steps[j]!.getMap().invert().map(p, assoc);
    return result(this.out.mapping.map(p, assoc));
  }

  /** After original step `step` was handled (the suggestion's steps from `outFrom` on). */
  advance(step: Step, outFrom: number, added: Region | null): void {
    const orig = step.getMap();
    const out = this.out.mapping.slice(outFrom);
    for (const r of this.regions) {
      r.origFrom = orig.map(r.origFrom, -1);
      r.origTo = orig.map(r.origTo, 1);
      r.outFrom = out.map(r.outFrom, -1);
      r.outTo = out.map(r.outTo, 1);
    }
    this.done++;
    if (added) this.regions.push(added);
  }
}

/** Where an insertion at `pos` goes: after a struck run it would land inside. */
function afterStruckRun(t: Tracker, pos: number): number {
  const doc = t.out.doc;
  const $pos = doc.resolve(pos);
  if (!$pos.nodeBefore || !t.del.isInSet($pos.nodeBefore.marks)) return pos;
  let p = pos;
  for (let n = doc.resolve(p).nodeAfter; n?.isText && t.del.isInSet(n.marks); n = doc.resolve(p).nodeAfter) p += n.nodeSize;
  return p;
}

type Handled = Region | null | false;

/** One original step (rebased onto the suggestion so far) as a suggestion. Returns the
 * region it inserted, null, or false when it cannot be suggested. */
function handle(t: Tracker, step: Step, orig: Step, origDoc: PMNode, state: EditorState, only: boolean): Handled {
  const { out } = t;
  if (step instanceof ReplaceStep) {
    const { from, to, slice } = step as unknown as { from: number; to: number; slice: Slice };
    const o = orig as unknown as { from: number; slice: Slice };
    // One leaf node for another of its type (an image's width or alt): an attribute change.
    const old = to > from ? out.doc.nodeAt(from) : null;
    const single = slice.openStart === 0 && slice.openEnd === 0 && slice.content.childCount === 1 ? slice.content.firstChild : null;
    if (old?.isLeaf && !old.isText && single && old.nodeSize === to - from && single.type === old.type) {
      return changeMarkup(t, from, single.type, single.attrs, single.marks) ? null : false;
    }
    let at = from;
    if (to > from) {
      at = deleteRange(t, from, to);
      if (slice.size === 0 && only) {
        // Backspace leaves the caret before what it struck; Delete and a selection after.
        const sel = state.selection;
        t.caret = sel.empty && sel.head === (orig as unknown as { to: number }).to ? out.mapping.map(from, -1) : at;
      }
    } else at = afterStruckRun(t, from);
    if (slice.size === 0) return null;
    const r = insertSlice(t, at, slice);
    return r ? { origFrom: o.from, origTo: o.from + o.slice.size, outFrom: r.from, outTo: r.to } : null;
  }
  if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) {
    changeMarks(t, step.from, step.to, step.mark, step instanceof AddMarkStep);
    return null;
  }
  if (step instanceof AttrStep) {
    const node = out.doc.nodeAt(step.pos);
    if (!node || SUGGESTION_NODE_ATTRS.includes(step.attr)) return t.apply(step) ? null : false;
    return changeMarkup(t, step.pos, node.type, { ...node.attrs, [step.attr]: step.value }) ? null : false;
  }
  if (step instanceof ReplaceAroundStep) {
    const s = step as unknown as { from: number; to: number; gapFrom: number; gapTo: number; slice: Slice; insert: number };
    // setNodeMarkup's shape (setBlockType too): the node around the gap, new type or attributes.
    const node = s.slice.content.firstChild;
    if (s.insert === 1 && s.slice.size === 2 && s.gapFrom === s.from + 1 && s.gapTo === s.to - 1 && node) {
      if (changeMarkup(t, s.from, node.type, node.attrs, node.marks)) return null;
    }
    if (insideInserted(out.doc.resolve(s.from)) && insideInserted(out.doc.resolve(s.to))) return t.apply(step) ? null : false;
    const applied = step.apply(out.doc);
    if (!applied.doc) return false;
    const r = replaceBlocks(t, s.from, s.to, applied.doc, step.getMap());
    if (!r) return false;
    // The same run of blocks in the original's documents, for positions inside it.
    const o = orig as unknown as { from: number; to: number };
    const $a = origDoc.resolve(o.from);
    const $b = origDoc.resolve(o.to);
    const start = $a.depth > r.depth ? $a.before(r.depth + 1) : $a.pos;
    const end = $b.depth > r.depth ? $b.after(r.depth + 1) : $b.pos;
    const m = orig.getMap();
    return { origFrom: m.map(start, -1), origTo: m.map(end, 1), outFrom: r.from, outTo: r.to };
  }
  // Steps that change no content Quire keeps (document attributes, node marks).
  return t.apply(step) ? null : false;
}

/** The suggestion to apply instead of `tr` (made on `state`), or null when `tr` cannot
 * be made a suggestion (then nothing should be applied). */
export function suggestTransaction(tr: Transaction, state: EditorState, o: SuggestOptions): Transaction | null {
  const out = state.tr;
  const t = new Tracker(out, o);
  const positions = new Positions(tr, out);
  let caretAt = -1;
  for (let i = 0; i < tr.steps.length; i++) {
    const step = tr.steps[i]!;
    const outFrom = out.steps.length;
    const rebased = step.map(positions);
    let added: Handled = null;
    if (rebased) {
      try {
        added = handle(t, rebased, step, tr.docs[i]!, state, tr.steps.length === 1);
      } catch (e) {
        console.warn(`Suggesting could not record a change (${e instanceof Error ? e.message : String(e)}); it was not applied`);
        added = false;
      }
      if (added === false) return null;
    }
    if (t.caret !== null && caretAt < 0) caretAt = out.steps.length;
    positions.advance(step, outFrom, added);
  }
  keepTrailingParagraph(t, state);
  const size = out.doc.content.size;
  if (t.caret !== null) {
    const caret = out.mapping.slice(caretAt).map(t.caret);
    out.setSelection(TextSelection.near(out.doc.resolve(Math.max(0, Math.min(caret, size)))));
  } else {
    try {
      out.setSelection(tr.selection.map(out.doc, positions));
    } catch {
      // The default: the old selection mapped through the suggestion.
    }
  }
  if (tr.storedMarksSet) out.setStoredMarks(tr.storedMarks);
  if (tr.scrolledIntoView) out.scrollIntoView();
  for (const [key, value] of Object.entries((tr as unknown as { meta: Record<string, unknown> }).meta)) out.setMeta(key, value);
  return out;
}

/** Tiptap's TrailingNode adds an empty paragraph, directly, after a document that stops
 * ending in one (a table inserted last): added here instead, as part of the suggestion,
 * so that rejecting it gives back the document exactly. */
function keepTrailingParagraph(t: Tracker, state: EditorState): void {
  const { out } = t;
  const paragraph = state.schema.nodes.paragraph;
  if (!paragraph || !out.docChanged || state.doc.lastChild?.type !== paragraph || out.doc.lastChild?.type === paragraph) return;
  out.insert(out.doc.content.size, paragraph.create({ [SUGGEST_NODE]: writeRecord({ ...t.record(), op: "insert" }) }));
}
