/** The suggestions in the document, live (the header's count and the panel's list),
 * accepting and rejecting them, and the "Suggesting" switch with its shortcut. The
 * machinery that reads and resolves suggestions is loaded on first need (extension.ts):
 * a document without suggestions never downloads it. */
import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useCallback, useEffect, useState } from "react";
import { SUGGESTING_TOGGLE_EVENT } from "../shortcuts/suggesting-shortcut";
import { loadMachinery, type SuggestionsStorage } from "./extension";
import type { Suggestion } from "./list";
// The marks in the text.
import "./suggestions.css";

const storageOf = (editor: Editor) => (editor.storage as unknown as Record<string, SuggestionsStorage | undefined>).suggestions;

/** Accepts or rejects suggestions (`ids`; null: all) as one change of this editor's. */
export async function resolveIn(editor: Editor, ids: Set<string> | null, accept: boolean): Promise<void> {
  const m = await loadMachinery();
  if (editor.isDestroyed) return;
  const tr = m.resolveSuggestions(editor.state, ids, accept);
  if (tr) editor.view.dispatch(tr);
}

/** The suggestions, live; empty until the machinery is in (extension.ts loads it as soon
 * as the document holds one). */
export function useSuggestions(editor: Editor | null): Suggestion[] {
  return (
    useEditorState({
      editor,
      selector: (ctx) => {
        const m = ctx.editor ? storageOf(ctx.editor)?.machinery : null;
        return m && ctx.editor ? m.suggestions(ctx.editor.state.doc) : [];
      },
    }) ?? []
  );
}

export type SuggestingState = "idle" | "loading" | "failed";

/** The "Suggesting" switch (a toolbar item) and its shortcut, Mod-Shift-E (Word's
 * "track changes" key). It is on only once the machinery is here: until then typing is
 * plainly not suggested. Turning it on or off returns the focus to the text, where the
 * next keystroke is meant to go. */
export function useSuggesting(editor: Editor | null, enabled: boolean): { on: boolean; state: SuggestingState; toggle: () => void } | null {
  const storage = editor ? storageOf(editor) : undefined;
  const [on, setOn] = useState(storage?.on ?? false);
  const [state, setState] = useState<SuggestingState>("idle");
  // A new editor (the role arrived, say) starts with Suggesting off.
  useEffect(() => setOn(storage?.on ?? false), [storage]);
  const toggle = useCallback(() => {
    if (!storage || !editor) return;
    if (storage.on) {
      storage.on = false;
      setOn(false);
      editor.commands.focus();
      return;
    }
    setState("loading");
    storage.load().then(
      () => {
        storage.on = true;
        setOn(true);
        setState("idle");
        if (!editor.isDestroyed) editor.commands.focus();
      },
      () => setState("failed"),
    );
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
  return active ? { on, state, toggle } : null;
}
