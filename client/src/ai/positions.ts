/**
 * Selections as Yjs relative positions: they follow the text through everyone's
 * edits, so the request, the preview, the badge and the final apply all point at
 * the same words, wherever they have moved to by then.
 */
import type { EditorState } from "@tiptap/pm/state";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import type { RelativePositionJSON } from "../../../shared/ai";

export interface RelRange {
  from: RelativePositionJSON;
  to: RelativePositionJSON;
}

interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> } | null;
}

function sync(state: EditorState): SyncState | null {
  const s = ySyncPluginKey.getState(state) as SyncState | undefined;
  return s?.binding ? s : null;
}

/** y-prosemirror anchors text positions to the character before them, so text typed
 * right after a selection does not join it. */
export function toRelative(state: EditorState, pos: number): RelativePositionJSON | null {
  const s = sync(state);
  if (!s) return null;
  const rel = absolutePositionToRelativePosition(pos, s.type, s.binding!.mapping as never) as Y.RelativePosition;
  return Y.relativePositionToJSON(rel) as RelativePositionJSON;
}

export function toAbsolute(state: EditorState, rel: RelativePositionJSON): number | null {
  const s = sync(state);
  if (!s) return null;
  const pos = relativePositionToAbsolutePosition(s.doc, s.type, Y.createRelativePositionFromJSON(rel), s.binding!.mapping as never);
  return pos === null ? null : Math.max(0, Math.min(pos, state.doc.content.size));
}

export function rangeFromSelection(state: EditorState, from: number, to: number): RelRange | null {
  const a = toRelative(state, from);
  const b = from === to ? a : toRelative(state, to);
  return a && b ? { from: a, to: b } : null;
}

/** The range's current absolute positions, or null if its text is gone. */
export function resolveRange(state: EditorState, range: RelRange): { from: number; to: number } | null {
  const a = toAbsolute(state, range.from);
  const b = toAbsolute(state, range.to);
  if (a === null || b === null) return null;
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

/** Plain text of a range, for "did someone change it?" comparisons. */
export function rangeText(state: EditorState, r: { from: number; to: number }): string {
  return state.doc.textBetween(r.from, r.to, "\n\n", " ");
}

/** True for transactions that came from another client through Yjs. */
export function isRemoteChange(state: EditorState): boolean {
  return (ySyncPluginKey.getState(state) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
}
