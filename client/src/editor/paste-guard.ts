/**
 * Pasted and dropped content loses its marks of identity (suggestion and comment marks,
 * shared/identity-marks.ts): HTML from anywhere parses with the schema's own rules, so
 * `<ins data-id="42-1" data-author="Finance lead">` would otherwise become a suggestion
 * in someone else's name, and `<span data-thread-id="…">` would move a thread's anchor.
 *
 * Except what this editor itself just copied, cut or dragged: moving text inside the
 * document keeps its comment anchors and suggestions, as the server allows (marks with
 * ids and threads the document already has; worker/room/identity-marks.ts). It is
 * recognised by content: the slice last put on the clipboard by this editor, equal to
 * what the paste parsed back. Content from another tab or page never equals it.
 */
import { Extension } from "@tiptap/core";
import type { Slice } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { sliceWithoutIdentityMarks } from "../../../shared/identity-marks";

export const PasteGuard = Extension.create({
  name: "pasteGuard",
  addProseMirrorPlugins() {
    let copied: Slice | null = null;
    return [
      new Plugin({
        key: new PluginKey("quire-paste-guard"),
        props: {
          transformCopied(slice) {
            copied = slice;
            return slice;
          },
          transformPasted(slice) {
            if (copied && (slice === copied || slice.content.eq(copied.content))) return slice;
            return sliceWithoutIdentityMarks(slice);
          },
        },
      }),
    ];
  },
});
