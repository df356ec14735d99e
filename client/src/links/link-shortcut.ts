/** Mod-K opens the link editor (LinkTools listens for the event on the editor DOM), so
 * the shortcut works wherever the editor has focus and the toolbar button shares it. */
import { Extension, type Editor } from "@tiptap/core";

export const LINK_OPEN_EVENT = "quire-link-open";

export function openLinkEditor(editor: Editor): void {
  editor.view.dom.dispatchEvent(new CustomEvent(LINK_OPEN_EVENT));
}

export const LinkShortcut = Extension.create({
  name: "linkShortcut",
  addKeyboardShortcuts() {
    return {
      "Mod-k": ({ editor }) => {
        openLinkEditor(editor);
        return true;
      },
    };
  },
});
