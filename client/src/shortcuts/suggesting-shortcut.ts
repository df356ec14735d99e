/** Mod-Shift-E turns Suggesting on or off (Word's "track changes" key). Bound in the
 * editor's keymap, ahead of the marks' own: ProseMirror would otherwise take Ctrl+Shift+E
 * for Mod-E (inline code), as it tries a shifted letter without Shift. The switch itself
 * (suggestions/SuggestionsPanel.tsx, useSuggesting) listens for the event, and also for
 * the key when the focus is outside the text. */
import { type Editor, Extension } from "@tiptap/core";

export const SUGGESTING_TOGGLE_EVENT = "quire-suggesting-toggle";

export function toggleSuggesting(editor: Editor): void {
  editor.view.dom.dispatchEvent(new CustomEvent(SUGGESTING_TOGGLE_EVENT));
}

export const SuggestingShortcut = Extension.create({
  name: "suggestingShortcut",
  // Before the marks' keymaps (Code's Mod-E).
  priority: 1000,
  addKeyboardShortcuts() {
    return {
      "Mod-Shift-e": ({ editor }) => {
        toggleSuggesting(editor);
        return true;
      },
    };
  },
});
