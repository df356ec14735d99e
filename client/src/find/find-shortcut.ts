/** Mod-F opens the find bar (Editor.tsx listens for the event on the editor's DOM). The
 * only part of find in the first load: the bar and its plugin (find-plugin.ts) load
 * when first opened. */
import { Extension } from "@tiptap/core";

export const FIND_OPEN_EVENT = "quire-find-open";

export const Find = Extension.create({
  name: "quireFind",
  addKeyboardShortcuts() {
    return {
      "Mod-f": ({ editor }) => {
        editor.view.dom.dispatchEvent(new CustomEvent(FIND_OPEN_EVENT));
        return true;
      },
    };
  },
});
