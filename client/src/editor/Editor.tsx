import Collaboration from "@tiptap/extension-collaboration";
import { Placeholder } from "@tiptap/extensions";
import { EditorContent, useEditor, type Editor as TiptapEditor } from "@tiptap/react";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { YDOC_CONTENT_FIELD } from "../../../shared/api";
import { schemaExtensions } from "../../../shared/schema";
import { AiAssist, openAiMenu } from "../ai/AiAssist";
import { AiBadges } from "../ai/ai-badges";
import { AiShortcut } from "../ai/ai-shortcut";
import { AiPreviewSlot } from "../ai/preview-slot";
import type { DocSession } from "../collab/session";
import { withImages } from "../images";
import type { Identity } from "../lib/identity";
import { useFollow } from "../sharing/follow";
import { CollaborationCaret } from "./caret";
import { RENDER_PAUSED_MESSAGE, RenderGuard } from "./render-guard";
import { Suggestions } from "../suggestions/extension";
import { Toolbar } from "./Toolbar";

interface Props {
  session: DocSession;
  identity: Identity;
  readOnly: boolean;
  /** The peer whose caret to keep in view, and how to stop. */
  follow?: { clientId: number | null; onStop: () => void };
  /** Hands the editor instance out (version history applies restores through it). */
  onEditor?: (editor: TiptapEditor | null) => void;
  /** Shown after the toolbar, also when the editor is read-only (the Comment button). */
  toolbarExtra?: ReactNode;
}

const NO_FOLLOW = { clientId: null, onStop: () => {} };

export function Editor({ session, identity, readOnly, follow = NO_FOLLOW, onEditor, toolbarExtra }: Props) {
  // Set for good when the document holds content this editor cannot render (render-guard.ts).
  const [paused, setPaused] = useState(false);
  const nameRef = useRef(identity.name);
  nameRef.current = identity.name;
  const editor = useEditor(
    {
      editable: !readOnly,
      extensions: [
        ...withImages(schemaExtensions(), session.id, !readOnly),
        RenderGuard.configure({
          onPause: (why) => {
            console.warn(`Editing paused: the document holds ${why}`);
            setPaused(true);
          },
        }),
        Placeholder.configure({ placeholder: readOnly ? "This document is empty." : "Start writing…" }),
        Collaboration.configure({ document: session.doc, field: YDOC_CONTENT_FIELD }),
        // Everyone sees where others use AI; only editors get the menu and preview.
        AiBadges.configure({ awareness: session.provider.awareness }),
        ...(readOnly ? [] : [AiShortcut, AiPreviewSlot]),
        // Suggestion mode (off until the user turns it on): this editor's own changes
        // become suggestion marks.
        ...(readOnly ? [] : [Suggestions.configure({ clientId: () => session.doc.clientID, author: () => nameRef.current })]),
        // Viewers publish no caret: a caret would suggest they can edit.
        ...(readOnly ? [] : [CollaborationCaret.configure({ awareness: session.provider.awareness, user: identity })]),
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

  useFollow(editor, session, follow.clientId, follow.onStop);

  if (!editor) return null;
  const canEdit = !readOnly && !paused;
  return (
    <div className="editor-shell">
      {paused && (
        <p className="render-paused" role="alert">
          {RENDER_PAUSED_MESSAGE}
        </p>
      )}
      <div className="toolbar-row">
        <Toolbar editor={editor} disabled={!canEdit} onAi={canEdit ? () => openAiMenu(editor) : undefined} />
        {toolbarExtra}
      </div>
      <EditorContent editor={editor} className="editor" />
      {canEdit && <AiAssist editor={editor} session={session} />}
    </div>
  );
}
