import Collaboration from "@tiptap/extension-collaboration";
import { Placeholder } from "@tiptap/extensions";
import { EditorContent, useEditor, type Editor as TiptapEditor } from "@tiptap/react";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import type { AiPolicy } from "../../../shared/ai";
import { YDOC_CONTENT_FIELD } from "../../../shared/api";
import { schemaExtensions } from "../../../shared/schema";

import { AiBadges } from "../ai/ai-badges";
// Eager although AiAssist is lazy: it also styles the shell and everyone's AI badges.
import "../ai/ai.css";
import { AiShortcut, openAiMenu } from "../ai/ai-shortcut";
import { AiPreviewSlot } from "../ai/preview-slot";
import type { DocSession } from "../collab/session";
import { FIND_OPEN_EVENT, Find } from "../find/find-shortcut";
import { withImages } from "../images";
import { LinkShortcut } from "../links/link-shortcut";
import { LinkTools } from "../links/LinkTools";
import { SLASH_PLUGIN_NAME, SlashStore } from "../slash/slash-store";
import { SlashMenu } from "../slash/SlashMenu";
import { WordCount } from "../status/WordCount";
import type { Identity } from "../lib/identity";
import { useFollow } from "../sharing/follow";
import { CollaborationCaret } from "./caret";
import { PasteGuard } from "./paste-guard";
import { RENDER_PAUSED_MESSAGE, RenderGuard } from "./render-guard";
import { SuggestingShortcut } from "../shortcuts/suggesting-shortcut";
import { Suggestions } from "../suggestions/extension";
import { stickyScrollMargin, useMeasuredHeight } from "./sticky";
import { Toolbar } from "./Toolbar";
import type { ToolItem } from "./toolbar-items";

interface Props {
  session: DocSession;
  identity: Identity;
  readOnly: boolean;
  /** The peer whose caret to keep in view, and how to stop. */
  follow?: { clientId: number | null; onStop: () => void };
  /** Hands the editor instance out (version history applies restores through it). */
  onEditor?: (editor: TiptapEditor | null) => void;
  /** On the toolbar after AI, also when the editor is read-only (Suggesting, Comment). */
  toolbarItems?: ToolItem[];
  /** The owner's AI policy: "off" hides AI (button, menu, Mod-J does nothing); "suggest"
   * lets answers land only as suggestions. */
  ai?: AiPolicy;
}

const NO_FOLLOW = { clientId: null, onStop: () => {} };
const NO_ITEMS: ToolItem[] = [];

// Not needed to start typing: loaded after the editor shows (AI, the table's tools) or on first use (find).
const FindBar = lazy(() => import("../find/FindBar"));
const AiAssist = lazy(() => import("../ai/AiAssist"));
const TableTools = lazy(() => import("../tables/TableTools").then((m) => ({ default: m.TableTools })));

export function Editor({ session, identity, readOnly, follow = NO_FOLLOW, onEditor, toolbarItems = NO_ITEMS, ai = "on" }: Props) {
  // Set for good when the document holds content this editor cannot render (render-guard.ts).
  const [paused, setPaused] = useState(false);
  const slash = useMemo(() => new SlashStore(), []);
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
        Find,
        // Everyone sees where others use AI; only editors get the menu and preview.
        AiBadges.configure({ awareness: session.provider.awareness }),
        ...(readOnly ? [] : [AiShortcut, AiPreviewSlot, LinkShortcut, PasteGuard, SuggestingShortcut]),
        // Suggestions shown (for everyone), and suggestion mode (off until the user turns it
        // on): this editor's own changes become suggestions.
        Suggestions.configure({ clientId: () => session.doc.clientID, author: () => nameRef.current }),
        // Viewers publish no caret: a caret would suggest they can edit.
        ...(readOnly ? [] : [CollaborationCaret.configure({ awareness: session.provider.awareness, user: identity })]),
      ],
      editorProps: {
        scrollMargin: stickyScrollMargin,
        scrollThreshold: stickyScrollMargin,
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

  // The "/" menu's plugin arrives after first paint, first in line so that its Enter
  // and arrows win over the editor's own keys while the menu is open.
  const slashOn = Boolean(editor) && !readOnly && !paused;
  useEffect(() => {
    if (!editor || !slashOn) return;
    let live = true;
    void import("../slash/slash-extension").then(({ slashPlugin }) => {
      if (live && !editor.isDestroyed) editor.registerPlugin(slashPlugin(editor, slash), (p, plugins) => [p, ...plugins]);
    });
    return () => {
      live = false;
      slash.set(null);
      if (!editor.isDestroyed) editor.unregisterPlugin(SLASH_PLUGIN_NAME);
    };
  }, [editor, slashOn, slash]);

  const [finding, setFinding] = useState(false);
  const barsRef = useMeasuredHeight("--bars-h");
  useEffect(() => {
    if (!editor) return;
    const open = () => setFinding(true);
    const dom = editor.view.dom;
    dom.addEventListener(FIND_OPEN_EVENT, open);
    return () => dom.removeEventListener(FIND_OPEN_EVENT, open);
  }, [editor]);

  if (!editor) return null;
  const canEdit = !readOnly && !paused;
  const aiOn = canEdit && ai !== "off";
  return (
    <div className="editor-shell">
      {paused && (
        <p className="render-paused" role="alert">
          {RENDER_PAUSED_MESSAGE}
        </p>
      )}
      {/* What sticks under the header: the toolbar, find and the table's tools, so none
          of them covers another or the text. A reading view for viewers: no editing
          controls that could only ever be disabled (a commenter keeps Comment). */}
      <div className="editor-bars" ref={barsRef}>
        {(!readOnly || toolbarItems.length > 0) && (
          <Toolbar
            editor={editor}
            formatting={!readOnly}
            disabled={!canEdit}
            extra={aiOn ? [aiItem(editor), ...toolbarItems] : toolbarItems}
          />
        )}
        {finding && (
          <Suspense fallback={null}>
            <FindBar editor={editor} canReplace={canEdit} onClose={() => setFinding(false)} />
          </Suspense>
        )}
        {canEdit && (
          <Suspense fallback={null}>
            <TableTools editor={editor} />
          </Suspense>
        )}
      </div>
      <EditorContent editor={editor} className="editor" />
      <div className="editor-footer">
        <WordCount editor={editor} />
      </div>
      {aiOn && (
        <Suspense fallback={null}>
          <AiAssist editor={editor} session={session} suggestOnly={ai === "suggest"} />
        </Suspense>
      )}
      <LinkTools editor={editor} editable={canEdit} />
      {canEdit && <SlashMenu editor={editor} store={slash} />}
    </div>
  );
}

const aiItem = (editor: TiptapEditor): ToolItem => ({
  key: "ai",
  label: "AI assist",
  icon: "✦ AI",
  shortcut: "Mod-J",
  group: "ai",
  keep: 8,
  run: () => openAiMenu(editor),
});
