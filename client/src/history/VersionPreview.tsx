/** A read-only rendering of one version: a second Tiptap editor over the same schema,
 * fed the version's ProseMirror JSON (no Yjs, no connection). */
import type { JSONContent } from "@tiptap/core";
import { EditorContent, useEditor } from "@tiptap/react";
import { schemaExtensions } from "../../../shared/schema";
import { withImages } from "../images";

export function VersionPreview({ content, docId }: { content: JSONContent; docId: string }) {
  const editor = useEditor(
    {
      editable: false,
      // Images of this document's files need the file key, as in the editor.
      extensions: withImages(schemaExtensions(), docId, false),
      content,
      editorProps: {
        attributes: { role: "textbox", "aria-label": "Version content", "aria-readonly": "true" },
      },
    },
    [content, docId],
  );
  if (!editor) return null;
  return <EditorContent editor={editor} className="editor version-preview-editor" />;
}
