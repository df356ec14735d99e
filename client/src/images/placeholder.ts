/**
 * Where an image being uploaded will go: a widget decoration in this editor only,
 * never content, so nothing of an unfinished upload reaches the shared document. Its
 * place is kept as a Yjs relative position, so remote edits (which y-prosemirror
 * applies as a whole-document replacement) do not move it; local edits map it.
 */
import type { EditorState, Transaction } from "@tiptap/pm/state";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type { RelativePositionJSON } from "../../../shared/ai";
import { isRemoteChange, toAbsolute, toRelative } from "../ai/positions";

export interface Pending {
  id: string;
  pos: number;
  rel: RelativePositionJSON | null;
  /** A local preview (object URL) shown while the upload runs. */
  preview: string | null;
  name: string;
  error: string | null;
}

interface PlaceholderState {
  pending: Pending[];
  decorations: DecorationSet;
}

export type NewPending = Omit<Pending, "pos" | "rel" | "error"> & { at: number };
type Action = { add: NewPending } | { fail: { id: string; error: string } } | { remove: string };

export const placeholderKey = new PluginKey<PlaceholderState>("quireImagePlaceholders");

function widget(p: Pending): HTMLElement {
  const el = document.createElement("div");
  el.className = p.error ? "image-upload-placeholder failed" : "image-upload-placeholder";
  el.contentEditable = "false";
  el.setAttribute("role", p.error ? "alert" : "status");
  el.dataset.upload = p.id;
  if (p.preview && !p.error) {
    const img = document.createElement("img");
    img.src = p.preview;
    img.alt = "";
    el.append(img);
  }
  const label = document.createElement("span");
  label.textContent = p.error ? `Could not upload ${p.name}: ${p.error}` : `Uploading ${p.name}…`;
  el.append(label);
  return el;
}

function decorate(state: EditorState, pending: Pending[]): DecorationSet {
  const size = state.doc.content.size;
  return DecorationSet.create(
    state.doc,
    pending.map((p) =>
      Decoration.widget(Math.min(p.pos, size), () => widget(p), {
        // A new key when the state changes, so the widget is redrawn (error shown).
        key: `${p.id}:${p.error ? "failed" : "uploading"}`,
        side: -1,
        ignoreSelection: true,
        stopEvent: () => true,
      }),
    ),
  );
}

function apply(tr: Transaction, old: PlaceholderState, state: EditorState): PlaceholderState {
  const action = tr.getMeta(placeholderKey) as Action | undefined;
  let pending = old.pending;
  if (tr.docChanged && pending.length > 0) {
    const remote = isRemoteChange(state);
    pending = pending.map((p) => {
      const pos = remote && p.rel ? toAbsolute(state, p.rel) : tr.mapping.map(p.pos, -1);
      return { ...p, pos: pos ?? Math.min(p.pos, state.doc.content.size) };
    });
  }
  if (action && "add" in action) {
    const { at, ...rest } = action.add;
    pending = [...pending, { ...rest, error: null, pos: at, rel: toRelative(state, at) }];
  } else if (action && "fail" in action) {
    pending = pending.map((p) => (p.id === action.fail.id ? { ...p, error: action.fail.error } : p));
  } else if (action && "remove" in action) {
    pending = pending.filter((p) => p.id !== action.remove);
  }
  if (pending === old.pending) return old;
  return { pending, decorations: decorate(state, pending) };
}

export function placeholderPlugin(): Plugin<PlaceholderState> {
  return new Plugin<PlaceholderState>({
    key: placeholderKey,
    state: {
      init: () => ({ pending: [], decorations: DecorationSet.empty }),
      apply: (tr, old, _oldState, newState) => apply(tr, old, newState),
    },
    props: { decorations: (state) => placeholderKey.getState(state)?.decorations },
  });
}

/** Where an upload's placeholder is now, or null once it is gone. */
export function pendingUpload(state: EditorState, id: string): Pending | null {
  return placeholderKey.getState(state)?.pending.find((p) => p.id === id) ?? null;
}

export const addPlaceholder = (tr: Transaction, p: NewPending): Transaction => tr.setMeta(placeholderKey, { add: p });
export const failPlaceholder = (tr: Transaction, id: string, error: string): Transaction =>
  tr.setMeta(placeholderKey, { fail: { id, error } });
export const removePlaceholder = (tr: Transaction, id: string): Transaction => tr.setMeta(placeholderKey, { remove: id });
