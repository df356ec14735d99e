import type { Editor } from "@tiptap/core";
import { useCallback, useEffect, useState } from "react";
import { MAX_QUOTE_CHARS } from "../../../shared/limits";
import { occurrenceAt } from "./occurrence";

export interface CommentDraft {
  open: boolean;
  setOpen: (open: boolean) => void;
  /** The quote a new thread is about to anchor to, and which copy of it was selected. */
  quote: string | null;
  occurrence: number;
  /** Why no draft could start (nothing selected). */
  hint: string | null;
  start: () => void;
  done: () => void;
}

/** Starting a comment from the selection (the Comment button, Mod-Alt-M) and the
 * comments panel's open state. The selected text is read from the browser's selection,
 * wherever it is: a commenter's editor is not editable, so its own selection is empty. */
export function useCommentDraft(editor: Editor | null, mayComment: boolean): CommentDraft {
  const [open, setOpen] = useState(false);
  const [quote, setQuote] = useState<string | null>(null);
  const [occurrence, setOccurrence] = useState(0);
  const [hint, setHint] = useState<string | null>(null);
  const start = useCallback(() => {
    const selection = window.getSelection();
    const selected = (selection?.toString() ?? "").slice(0, MAX_QUOTE_CHARS);
    setOpen(true);
    if (selected.trim() === "") {
      setHint("Select the text you want to comment on first.");
      return;
    }
    // Which copy of the text was selected, so the server anchors that one.
    let n = 0;
    if (editor && selection && selection.rangeCount > 0) {
      const range = selection.getRangeAt(0);
      try {
        n = occurrenceAt(editor.state.doc, editor.view.posAtDOM(range.startContainer, range.startOffset), selected);
      } catch {
        // Outside the editor: the first occurrence.
      }
    }
    setHint(null);
    setQuote(selected);
    setOccurrence(n);
  }, [editor]);
  useEffect(() => {
    if (!mayComment) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.altKey && e.code === "KeyM") {
        e.preventDefault();
        start();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [mayComment, start]);
  const done = useCallback(() => setQuote(null), []);
  return { open, setOpen, quote, occurrence, hint, start, done };
}
