/**
 * Accepting an answer: one ProseMirror transaction, so one Yjs transaction and one
 * update for everyone else, and (with the undo manager's capture window closed on
 * both sides) exactly one undo step for the person who accepted it.
 */
import type { Editor } from "@tiptap/core";
import { Slice, type Fragment, type Node } from "@tiptap/pm/model";
import { type EditorState, TextSelection } from "@tiptap/pm/state";
import { yUndoPluginKey } from "@tiptap/y-tiptap";
import { SUGGEST_AS, type SuggestAs } from "../suggestions/meta";
import { markdownToDoc } from "./markdown";
import { resolveRange, type RelRange } from "./positions";

export type AcceptMode = "replace" | "below" | "insert";

interface UndoState {
  undoManager?: { stopCapturing(): void };
}

/** Opens the outer blocks of `content` where they are textblocks, so a one-paragraph
 * answer flows into the surrounding paragraph instead of splitting it. */
function pasteSlice(content: Fragment): Slice {
  const open = (n: typeof content.firstChild) => (n?.isTextblock ? 1 : 0);
  return new Slice(content, open(content.firstChild), open(content.lastChild));
}

/** Whether text flowing in at `pos` needs a space to separate it from the word before. */
export function needsSpace(state: EditorState, pos: number, first: Node | null): boolean {
  if (first?.type.name !== "paragraph") return false;
  const $pos = state.doc.resolve(pos);
  if (!$pos.parent.isTextblock || $pos.parentOffset === 0) return false;
  const before = state.doc.textBetween(pos - 1, pos);
  const next = first.textContent.charAt(0);
  return /\S/.test(before) && /[\p{L}\p{N}("'“‘]/u.test(next);
}

/** Returns false if the range is gone (nothing is changed then). */
export function applyAnswer(editor: Editor, range: RelRange, markdown: string, mode: AcceptMode, suggestAs?: SuggestAs): boolean {
  const { state } = editor;
  const at = resolveRange(state, range);
  if (!at) return false;
  const answer = markdownToDoc(markdown, state.schema).content;
  const tr = state.tr;
  // As a suggestion: the suggestion plugin marks the answer as an insertion (and what
  // it replaces as a deletion) in the same dispatch, so still one update, one undo step.
  if (suggestAs) tr.setMeta(SUGGEST_AS, suggestAs);
  if (mode === "below") {
    const $to = state.doc.resolve(at.to);
    const pos = $to.depth > 0 ? $to.after(1) : at.to;
    tr.insert(pos, answer);
    tr.setSelection(TextSelection.near(tr.doc.resolve(Math.min(pos + answer.size, tr.doc.content.size))));
  } else {
    let from = mode === "insert" ? at.to : at.from;
    // A continuation flows into the sentence it continues: models answer without the
    // separating space, which would glue "word." to "Next".
    if (mode === "insert" && needsSpace(state, at.to, answer.firstChild)) {
      tr.insertText(" ", at.to);
      from = at.to + 1;
    }
    tr.replaceRange(from, tr.mapping.map(at.to), pasteSlice(answer));
    tr.setSelection(TextSelection.near(tr.doc.resolve(tr.mapping.map(at.to))));
  }
  tr.scrollIntoView();
  const undo = (yUndoPluginKey.getState(state) as UndoState | undefined)?.undoManager;
  undo?.stopCapturing(); // not merged with typing just before…
  editor.view.dispatch(tr);
  undo?.stopCapturing(); // …nor with typing right after
  return true;
}
