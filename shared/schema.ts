/**
 * The editor schema, shared so the server (export, Markdown import) and the browser
 * interpret a document identically. Collaboration, carets and UI-only extensions are
 * added by the client on top of these.
 */
import type { AnyExtension } from "@tiptap/core";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import StarterKit from "@tiptap/starter-kit";

/** Link targets Quire keeps: ordinary web and mail links, anchors and relative paths.
 * Also applied to imported Markdown, which does not go through the editor's paste rules. */
export const isAllowedHref = (url: string): boolean => /^(https?:|mailto:|#|\/(?![/\\]))/i.test(url.trim());

export function schemaExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Yjs' UndoManager (via Collaboration) replaces ProseMirror history so undo
      // only ever reverts the local user's own changes.
      undoRedo: false,
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ["http", "https", "mailto"],
        // Only ordinary web and mail links survive: pasted or imported javascript: stays inert.
        isAllowedUri: (url, ctx) => isAllowedHref(url) && ctx.defaultValidate(url),
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
  ];
}
