import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import "./find.css";
import { FIND_OPEN_EVENT } from "./find-shortcut";
import { findKey, findPlugin, findState, setFind, stepFind } from "./find-plugin";
import { replaceAll } from "./replace-all";

/** Find (everyone) and replace (editors): Enter / Shift+Enter step through the matches,
 * Escape closes and clears the highlights. */
export default function FindBar({ editor, canReplace, onClose }: { editor: Editor; canReplace: boolean; onClose: () => void }) {
  // Find's plugin is there while the bar is: its matches and highlights go with it.
  useLayoutEffect(() => {
    if (!findKey.getState(editor.state)) editor.registerPlugin(findPlugin());
    return () => {
      if (!editor.isDestroyed) editor.unregisterPlugin(findKey);
    };
  }, [editor]);
  const [query, setQuery] = useState(() => {
    const { from, to } = editor.state.selection;
    const picked = editor.state.doc.textBetween(from, to, " ");
    return picked.length < 100 ? picked : "";
  });
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [wholeWord, setWholeWord] = useState(false);
  const [replacement, setReplacement] = useState("");
  const [replaced, setReplaced] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const { total, current } = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const f = findState(e.state);
      return { total: f.matches.length, current: f.current };
    },
  });

  useEffect(() => {
    setFind(editor, query, { caseSensitive, wholeWord });
  }, [editor, query, caseSensitive, wholeWord]);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
    const refocus = () => {
      input.current?.focus();
      input.current?.select();
    };
    const dom = editor.view.dom;
    dom.addEventListener(FIND_OPEN_EVENT, refocus);
    return () => {
      dom.removeEventListener(FIND_OPEN_EVENT, refocus);
    };
  }, [editor]);

  const close = () => {
    onClose();
    editor.commands.focus();
  };
  // A button that has nothing left to do is disabled, and a disabled button drops the
  // focus to the page, where Escape reaches nothing: keep it in the bar.
  const keepFocus = (e: { currentTarget: HTMLButtonElement }) => {
    const button = e.currentTarget;
    requestAnimationFrame(() => {
      if (button.disabled && (document.activeElement === document.body || document.activeElement === null)) input.current?.focus();
    });
  };
  const replaceOne = (e: { currentTarget: HTMLButtonElement }) => {
    const f = findState(editor.state);
    const m = f.matches[f.current];
    if (!m) return;
    editor.view.dispatch(editor.state.tr.insertText(replacement, m.from, m.to));
    setReplaced(null);
    keepFocus(e);
  };
  const replaceEvery = () => {
    setReplaced(replaceAll(editor.view, findState(editor.state).matches, replacement));
    input.current?.focus();
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: a search toolbar, not a form that submits
    <div
      className="find-bar"
      role="search"
      aria-label="Find and replace"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          close();
        }
      }}
    >
      <div className="find-row">
        <input
          ref={input}
          aria-label="Find"
          placeholder="Find"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setReplaced(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              stepFind(editor, e.shiftKey ? -1 : 1);
            }
          }}
        />
        <span className="find-count" aria-live="polite" data-testid="find-count">
          {query === "" ? "" : total === 0 ? "No matches" : `${current + 1} of ${total}`}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label="Previous match"
          disabled={total === 0}
          onClick={() => stepFind(editor, -1)}
        >
          ↑
        </button>
        <button type="button" className="icon-button" aria-label="Next match" disabled={total === 0} onClick={() => stepFind(editor, 1)}>
          ↓
        </button>
        <label>
          <input type="checkbox" checked={caseSensitive} onChange={(e) => setCaseSensitive(e.target.checked)} /> Match case
        </label>
        <label>
          <input type="checkbox" checked={wholeWord} onChange={(e) => setWholeWord(e.target.checked)} /> Whole word
        </label>
        <button type="button" className="icon-button" aria-label="Close find" onClick={close}>
          ×
        </button>
      </div>
      {canReplace && (
        <div className="find-row">
          <input
            aria-label="Replace with"
            placeholder="Replace with"
            value={replacement}
            onChange={(e) => setReplacement(e.target.value)}
          />
          <button type="button" className="button" disabled={total === 0} onClick={replaceOne}>
            Replace
          </button>
          <button type="button" className="button" disabled={total === 0} onClick={replaceEvery}>
            Replace all
          </button>
          {replaced !== null && (
            <span className="find-count" role="status">
              Replaced {replaced.toLocaleString()}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
