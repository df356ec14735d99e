/**
 * The editor schema, shared so the server (export, Markdown import) and the browser
 * interpret a document identically. Collaboration, carets and UI-only extensions are
 * added by the client on top of these.
 */
import type { AnyExtension } from "@tiptap/core";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import StarterKit from "@tiptap/starter-kit";

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
        isAllowedUri: (url, ctx) =>
          /^(https?:|mailto:|#|\/)/i.test(url) && ctx.defaultValidate(url),
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
  ];
}
