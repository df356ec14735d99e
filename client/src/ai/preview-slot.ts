/**
 * Where the AI preview lives: a widget after the block that holds the selection's
 * end, visible only in this editor. It is a decoration, not content, so nothing of a
 * half-written answer reaches the shared document. React renders into `element`
 * through a portal; the widget keeps returning that same element so the preview
 * survives re-renders and remote edits.
 */
import { Extension, type Editor } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { isRemoteChange, resolveRange, type RelRange } from "./positions";

interface Slot {
  range: RelRange | null;
  element: HTMLElement | null;
  decorations: DecorationSet;
}

const key = new PluginKey<Slot>("quireAiPreview");

/** `fallback` is used when the range's text was deleted: the preview must stay on
 * screen so its owner can still read, retry or discard it. */
function build(state: EditorState, range: RelRange | null, element: HTMLElement | null, fallback: number): Slot {
  if (!range || !element) return { range, element, decorations: DecorationSet.empty };
  const at = resolveRange(state, range);
  let pos = Math.min(fallback, state.doc.content.size);
  if (at) {
    const $to = state.doc.resolve(at.to);
    pos = $to.depth > 0 ? $to.after(1) : at.to;
  }
  const widget = Decoration.widget(pos, () => element, {
    key: "ai-preview",
    side: 1,
    ignoreSelection: true,
    // Clicks and keys in the preview are the preview's, not the editor's.
    stopEvent: () => true,
  });
  return { range, element, decorations: DecorationSet.create(state.doc, [widget]) };
}

export const AiPreviewSlot = Extension.create({
  name: "aiPreviewSlot",
  addProseMirrorPlugins() {
    return [
      new Plugin<Slot>({
        key,
        state: {
          init: () => ({ range: null, element: null, decorations: DecorationSet.empty }),
          apply(tr, old, _o, newState) {
            const meta = tr.getMeta(key) as { range: RelRange | null; element: HTMLElement | null } | undefined;
            const end = newState.doc.content.size;
            if (meta) return build(newState, meta.range, meta.element, end);
            if (!old.range) return old;
            if (isRemoteChange(newState)) {
              const last = old.decorations.find()[0]?.from ?? end;
              return build(newState, old.range, old.element, last);
            }
            return { ...old, decorations: old.decorations.map(tr.mapping, tr.doc) };
          },
        },
        props: { decorations: (state) => key.getState(state)?.decorations },
      }),
    ];
  },
});

/** Shows the preview element under `range`, or hides it (null). */
export function setPreviewSlot(editor: Editor, range: RelRange | null, element: HTMLElement | null): void {
  if (editor.isDestroyed) return;
  editor.view.dispatch(editor.state.tr.setMeta(key, { range, element }).setMeta("addToHistory", false));
}
