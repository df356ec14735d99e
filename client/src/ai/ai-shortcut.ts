/** Mod-J opens the AI menu (the component listens for the event on the editor DOM). */
import { type Editor, Extension } from "@tiptap/core";

/** Dispatched on the editor's DOM by Mod-J and the toolbar button. */
export const AI_OPEN_EVENT = "quire-ai-open";

export function openAiMenu(editor: Editor): void {
  editor.view.dom.dispatchEvent(new CustomEvent(AI_OPEN_EVENT));
}

export const AiShortcut = Extension.create({
  name: "aiShortcut",
  addKeyboardShortcuts() {
    return {
      "Mod-j": ({ editor }) => {
        openAiMenu(editor);
        return true;
      },
    };
  },
});
