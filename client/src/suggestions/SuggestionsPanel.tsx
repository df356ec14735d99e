/** The suggestions in the document, live, with Accept and Reject per change and for
 * all; the buttons only for people who can edit. Also the "Suggesting" switch. */
import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useState } from "react";
import { resolveSuggestions, suggestions, type Suggestion } from "./changes";
import "./suggestions.css";

export function useSuggestions(editor: Editor | null): Suggestion[] {
  return useEditorState({ editor, selector: (ctx) => (ctx.editor ? suggestions(ctx.editor.state.doc) : []) }) ?? [];
}

function resolve(editor: Editor, ids: Set<string> | null, accept: boolean): void {
  const tr = resolveSuggestions(editor.state, ids, accept);
  if (tr) editor.view.dispatch(tr);
}

export function SuggestingToggle({ editor }: { editor: Editor }) {
  const storage = (editor.storage as unknown as Record<string, { on: boolean } | undefined>).suggestions;
  const [on, setOn] = useState(storage?.on ?? false);
  if (!storage) return null;
  return (
    <button
      type="button"
      className={`button suggesting-toggle${on ? " active" : ""}`}
      aria-pressed={on}
      onClick={() => {
        storage.on = !on;
        setOn(!on);
      }}
    >
      Suggesting
    </button>
  );
}

export function SuggestionsPanel({ editor, list, canResolve }: { editor: Editor; list: Suggestion[]; canResolve: boolean }) {
  if (list.length === 0) return null;
  return (
    <aside className="suggestions-panel" aria-label="Suggestions">
      <div className="comments-head">
        <h2>Suggestions ({list.length})</h2>
        {canResolve && (
          <>
            <button type="button" className="link-button" onClick={() => resolve(editor, null, true)}>
              Accept all
            </button>
            <button type="button" className="link-button" onClick={() => resolve(editor, null, false)}>
              Reject all
            </button>
          </>
        )}
      </div>
      <ul className="thread-list">
        {list.map((s) => (
          <li
            key={`${s.kind}:${s.id}`}
            className={`suggestion-item suggestion-item-${s.kind}`}
            aria-label={`${s.kind === "insertion" ? "Insert" : "Delete"} “${s.text}”`}
          >
            <span className="comment-author">{s.author || "Someone"}</span>{" "}
            <span className="hint">{s.kind === "insertion" ? "suggests adding" : "suggests deleting"}</span>
            <p className={`suggestion-text suggestion-${s.kind}`}>{s.text}</p>
            {s.command && (
              <p className="hint">
                AI command: {s.command}
                {s.model ? ` · ${s.model}` : ""}
              </p>
            )}
            {canResolve && (
              <div className="thread-actions">
                <button type="button" className="button" onClick={() => resolve(editor, new Set([s.id]), true)}>
                  Accept
                </button>
                <button type="button" className="button" onClick={() => resolve(editor, new Set([s.id]), false)}>
                  Reject
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
