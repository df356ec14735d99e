/** A read-only rendering of one version: a second Tiptap editor over the same schema,
 * fed the version's ProseMirror JSON (no Yjs, no connection). */
import type { JSONContent } from "@tiptap/core";
import { EditorContent, useEditor } from "@tiptap/react";
import { schemaExtensions } from "../../../shared/schema";

export function VersionPreview({ content }: { content: JSONContent }) {
  const editor = useEditor(
    {
      editable: false,
      extensions: schemaExtensions(),
      content,
      editorProps: {
        attributes: { role: "textbox", "aria-label": "Version content", "aria-readonly": "true" },
      },
    },
    [content],
  );
  if (!editor) return null;
  return <EditorContent editor={editor} className="editor version-preview-editor" />;
}
