/** The suggestions in the document, live (the header's count and the panel's list),
 * accepting and rejecting them, and the "Suggesting" switch with its shortcut. */
import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useCallback, useEffect, useState } from "react";
import { SUGGESTING_TOGGLE_EVENT } from "../shortcuts/suggesting-shortcut";
import { resolveSuggestions, suggestions, type Suggestion } from "./changes";
// The marks in the text.
import "./suggestions.css";

/** Accepts or rejects suggestions (`ids`; null: all) as one change of this editor's. */
export function resolveIn(editor: Editor, ids: Set<string> | null, accept: boolean): void {
  const tr = resolveSuggestions(editor.state, ids, accept);
  if (tr) editor.view.dispatch(tr);
}

export function useSuggestions(editor: Editor | null): Suggestion[] {
  return useEditorState({ editor, selector: (ctx) => (ctx.editor ? suggestions(ctx.editor.state.doc) : []) }) ?? [];
}

/** The "Suggesting" switch (a toolbar item) and its shortcut, Mod-Shift-E (Word's
 * "track changes" key). Turning it on or off returns the focus to the text, where the
 * next keystroke is meant to go. */
export function useSuggesting(editor: Editor | null, enabled: boolean): { on: boolean; toggle: () => void } | null {
  const storage = editor ? (editor.storage as unknown as Record<string, { on: boolean } | undefined>).suggestions : undefined;
  const [on, setOn] = useState(storage?.on ?? false);
  // A new editor (the role arrived, say) starts with Suggesting off.
  useEffect(() => setOn(storage?.on ?? false), [storage]);
  const toggle = useCallback(() => {
    if (!storage || !editor) return;
    storage.on = !storage.on;
    setOn(storage.on);
    editor.commands.focus();
  }, [editor, storage]);
  const active = enabled && storage !== undefined;
  useEffect(() => {
    if (!active || !editor) return;
    // In the text the editor's keymap has it (shortcuts/suggesting-shortcut.ts) and
    // says so; anywhere else on the page, this.
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.shiftKey && !e.altKey && e.code === "KeyE" && !e.defaultPrevented) {
        e.preventDefault();
        toggle();
      }
    };
    const dom = editor.view.dom;
    dom.addEventListener(SUGGESTING_TOGGLE_EVENT, toggle);
    window.addEventListener("keydown", onKey);
    return () => {
      dom.removeEventListener(SUGGESTING_TOGGLE_EVENT, toggle);
      window.removeEventListener("keydown", onKey);
    };
  }, [active, editor, toggle]);
  return active ? { on, toggle } : null;
}
