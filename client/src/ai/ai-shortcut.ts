/** Mod-J opens the AI menu (the component listens for the event on the editor DOM). */
import { Extension } from "@tiptap/core";

export const AiShortcut = Extension.create({
  name: "aiShortcut",
  addKeyboardShortcuts() {
    return {
      "Mod-j": ({ editor }) => {
        editor.view.dom.dispatchEvent(new CustomEvent("quire-ai-open"));
        return true;
      },
    };
  },
});
