import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { Placeholder } from "@tiptap/extensions";
import { EditorContent, useEditor, type Editor as TiptapEditor } from "@tiptap/react";
import { useEffect } from "react";
import { YDOC_CONTENT_FIELD } from "../../../shared/api";
import { schemaExtensions } from "../../../shared/schema";
import type { DocSession } from "../collab/session";
import type { Identity } from "../lib/identity";
import { Toolbar } from "./Toolbar";

interface Props {
  session: DocSession;
  identity: Identity;
  readOnly: boolean;
  /** Hands the editor instance out (version history applies restores through it). */
  onEditor?: (editor: TiptapEditor | null) => void;
}

export function Editor({ session, identity, readOnly, onEditor }: Props) {
  const editor = useEditor(
    {
      editable: !readOnly,
      extensions: [
        ...schemaExtensions(),
        Placeholder.configure({ placeholder: readOnly ? "This document is empty." : "Start writing…" }),
        Collaboration.configure({ document: session.doc, field: YDOC_CONTENT_FIELD }),
        // Viewers publish no caret: a caret would suggest they can edit.
        ...(readOnly
          ? []
          : [CollaborationCaret.configure({ provider: session.provider, user: identity })]),
      ],
      editorProps: {
        attributes: {
          role: "textbox",
          "aria-label": "Document content",
          "aria-multiline": "true",
          spellcheck: "true",
        },
      },
    },
    [session, readOnly],
  );

  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);

  useEffect(() => {
    if (!editor || readOnly) return;
    editor.commands.updateUser(identity);
  }, [editor, identity, readOnly]);

  useEffect(() => {
    // Viewers still appear in presence, with a name but no caret.
    if (!readOnly) return;
    session.provider.awareness.setLocalStateField("user", identity);
    session.provider.awareness.setLocalStateField("viewer", true);
  }, [session, identity, readOnly]);

  if (!editor) return null;
  return (
    <div className="editor-shell">
      <Toolbar editor={editor} disabled={readOnly} />
      <EditorContent editor={editor} className="editor" />
    </div>
  );
}
