/**
 * AI assist in the editor: the menu, the requester-only preview, the presence badge
 * and accepting an answer. Mounted for people who can edit; viewers never get it.
 */
import type { Editor } from "@tiptap/core";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { needsSelection, type AiCommand, type AiOptions } from "../../../shared/ai";
import type { DocSession } from "../collab/session";
import { AiClient } from "./ai-client";
import { AI_AWARENESS_FIELD } from "./ai-badges";
import { AiMenu } from "./AiMenu";
import { AiPanel, type Conflict } from "./AiPanel";
import { AI_OPEN_EVENT } from "./ai-shortcut";
import { loadIdentity } from "../lib/identity";
import { writeUnderOwnId } from "./answer-client-id";
import { applyAnswer, type AcceptMode } from "./apply";
import { markdownToDoc } from "./markdown";
import { rangeFromSelection, rangeText, resolveRange } from "./positions";
import { setPreviewSlot } from "./preview-slot";
import "./ai.css";

interface MenuState {
  left: number;
  top: number;
  from: number;
  to: number;
}

/** Coordinates of a document position inside the editor shell (the menus' container). */
function shellCoords(editor: Editor, pos: number, below: boolean): { left: number; top: number } {
  const shell = editor.view.dom.closest(".editor-shell") ?? editor.view.dom;
  const box = shell.getBoundingClientRect();
  const c = editor.view.coordsAtPos(pos);
  return { left: Math.max(0, Math.min(c.left - box.left, box.width - 300)), top: (below ? c.bottom : c.top) - box.top };
}

/** `suggestOnly`: the owner lets AI answers land only as suggestions. */
export function AiAssist({ editor, session, suggestOnly = false }: { editor: Editor; session: DocSession; suggestOnly?: boolean }) {
  const client = useMemo(() => new AiClient(session.provider), [session]);
  useEffect(() => () => client.destroy(), [client]);
  const run = useSyncExternalStore(client.subscribe, client.snapshot);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const [bubble, setBubble] = useState<{ left: number; top: number } | null>(null);
  const [conflict, setConflict] = useState<Conflict>("none");
  const slot = useMemo(() => {
    const el = document.createElement("div");
    el.className = "ai-slot";
    return el;
  }, []);

  const openMenu = useCallback(() => {
    if (!editor.isEditable) return;
    const { from, to } = editor.state.selection;
    setMenu({ ...shellCoords(editor, to, true), from, to });
    setBubble(null);
  }, [editor]);

  // Escape leaves the focus in the closed menu, i.e. nowhere: back to the text.
  const closeMenu = useCallback(() => {
    setMenu(null);
    const at = document.activeElement;
    if (!at || at === document.body || at.closest(".ai-menu")) editor.commands.focus();
  }, [editor]);

  // Build the Markdown parser while idle, not on the first streamed character.
  useEffect(() => {
    const id = requestIdleCallback(() => markdownToDoc("", editor.schema));
    return () => cancelIdleCallback(id);
  }, [editor]);

  // Mod-J and the toolbar button.
  useEffect(() => {
    const dom = editor.view.dom;
    dom.addEventListener(AI_OPEN_EVENT, openMenu);
    return () => dom.removeEventListener(AI_OPEN_EVENT, openMenu);
  }, [editor, openMenu]);

  // The ✦ button next to a selection.
  useEffect(() => {
    const update = () => {
      const { from, to, empty } = editor.state.selection;
      const text = empty ? "" : editor.state.doc.textBetween(from, to, " ");
      if (!editor.isFocused || text.trim() === "") {
        setBubble(null);
        return;
      }
      // Under the selection's last line, so it never hides the text above being read.
      const at = shellCoords(editor, to, true);
      setBubble({ left: at.left, top: at.top + 6 });
    };
    editor.on("selectionUpdate", update);
    editor.on("focus", update);
    editor.on("blur", update);
    return () => {
      editor.off("selectionUpdate", update);
      editor.off("focus", update);
      editor.off("blur", update);
    };
  }, [editor]);

  const start = (command: AiCommand, options: AiOptions = {}) => {
    if (!menu) return;
    const { state } = editor;
    const from = needsSelection(command) ? menu.from : menu.to;
    const range = rangeFromSelection(state, from, menu.to);
    setMenu(null);
    if (!range) return;
    client.start(command, options, range, rangeText(state, { from, to: menu.to }));
  };

  // The preview sits under the range for as long as there is an answer to look at.
  const requestId = run?.requestId ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new request moves the preview; streamed text (a new `run` object) does not.
  useEffect(() => {
    setPreviewSlot(editor, run?.range ?? null, run ? slot : null);
  }, [editor, requestId, slot]);

  // Others see "… is using AI here" while the preview is open.
  // biome-ignore lint/correctness/useExhaustiveDependencies: presence changes per request, not per streamed chunk.
  useEffect(() => {
    const awareness = session.provider.awareness;
    awareness.setLocalStateField(AI_AWARENESS_FIELD, run?.range ?? null);
  }, [session, requestId]);
  useEffect(() => () => session.provider.awareness.setLocalStateField(AI_AWARENESS_FIELD, null), [session]);

  // Did the selected text change (anyone's edit) while the answer was on its way?
  useEffect(() => {
    if (!run) {
      setConflict("none");
      return;
    }
    const check = () => {
      const at = resolveRange(editor.state, run.range);
      if (!at) setConflict("gone");
      else if (run.command !== "continue" && rangeText(editor.state, at) !== run.original) setConflict("changed");
      else setConflict("none");
    };
    check();
    editor.on("transaction", check);
    return () => {
      editor.off("transaction", check);
    };
  }, [editor, run]);

  const accept = (mode: AcceptMode, suggest = false) => {
    if (!run || (suggestOnly && !suggest)) return;
    let updates = 0;
    const count = () => updates++;
    session.doc.on("update", count);
    const as = suggest ? { author: `AI, asked by ${loadIdentity().name}`, command: run.command, model: run.model ?? null } : undefined;
    const { result: ok, clientId } = writeUnderOwnId(session.doc, () => applyAnswer(editor, run.range, run.text, mode, as));
    session.doc.off("update", count);
    // Read by the end-to-end test: one accepted answer must be one document update.
    document.body.dataset.aiAcceptUpdates = String(updates);
    if (ok) {
      client.decide(
        suggest ? "suggested" : "accepted",
        suggest ? "suggestion" : mode === "replace" ? "replace" : "insert",
        clientId ?? undefined,
      );
      client.discard();
      editor.commands.focus();
    } else {
      setConflict("gone");
    }
  };

  // A retry reads the text as it is now, so that is what later edits are compared to.
  const retry = () => {
    if (!run) return;
    const at = resolveRange(editor.state, run.range);
    if (!at) return;
    client.start(run.command, run.options, run.range, run.command === "continue" ? "" : rangeText(editor.state, at));
  };

  const discard = () => {
    client.discard();
    editor.commands.focus();
  };

  return (
    <>
      {bubble && !menu && !run && (
        <button
          type="button"
          className="ai-bubble"
          style={{ left: bubble.left, top: bubble.top }}
          onMouseDown={(e) => e.preventDefault()}
          onClick={openMenu}
          aria-label="AI assist (Ctrl+J)"
        >
          ✦ AI
        </button>
      )}
      {menu && (
        <AiMenu hasSelection={menu.from !== menu.to} position={{ left: menu.left, top: menu.top + 6 }} onRun={start} onClose={closeMenu} />
      )}
      {run &&
        createPortal(
          <AiPanel
            run={run}
            schema={editor.schema}
            conflict={conflict}
            onStop={() => client.stop()}
            onAccept={accept}
            onSuggest={(mode) => accept(mode, true)}
            onRetry={retry}
            onDiscard={discard}
            suggestOnly={suggestOnly}
          />,
          slot,
        )}
    </>
  );
}

export default AiAssist;
