/** The suggestions in the document, live, with Accept and Reject per change and for
 * all; the buttons only for people who can edit. Also the "Suggesting" switch. */
import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useState } from "react";
import { loadMachinery, type SuggestionsStorage } from "./extension";
import type { Suggestion } from "./list";
import "./suggestions.css";

export type { Suggestion } from "./list";

const storageOf = (editor: Editor) => (editor.storage as unknown as Record<string, SuggestionsStorage | undefined>).suggestions;

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

async function resolve(editor: Editor, ids: Set<string> | null, accept: boolean): Promise<void> {
  const m = await loadMachinery();
  if (editor.isDestroyed) return;
  const tr = m.resolveSuggestions(editor.state, ids, accept);
  if (tr) editor.view.dispatch(tr);
}

export function SuggestingToggle({ editor }: { editor: Editor }) {
  const storage = storageOf(editor);
  const [on, setOn] = useState(storage?.on ?? false);
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  if (!storage) return null;
  const toggle = async () => {
    if (on) {
      storage.on = false;
      setOn(false);
      return;
    }
    // On only once the machinery is here: until then typing is plainly not suggested.
    setState("loading");
    try {
      await storage.load();
      storage.on = true;
      setOn(true);
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <button
      type="button"
      className={`button suggesting-toggle${on ? " active" : ""}`}
      aria-pressed={on}
      aria-busy={state === "loading"}
      title={
        state === "failed"
          ? "Suggesting could not start (offline?). Try again."
          : "Suggesting: your changes to the document (text, formatting, headings, lists, paragraphs, tables, images) become suggestions others can accept or reject; the title changes directly"
      }
      onClick={() => void toggle()}
    >
      {state === "failed" ? "Suggesting (retry)" : "Suggesting"}
    </button>
  );
}

const quote = (s: string) => `“${s}”`;

function What({ s }: { s: Suggestion }) {
  return (
    <>
      {s.deleted && s.inserted ? (
        <p className="suggestion-text">
          <span className="suggestion-deletion">{s.deleted}</span> → <span className="suggestion-insertion">{s.inserted}</span>
        </p>
      ) : s.inserted ? (
        <p className="suggestion-text suggestion-insertion">{s.inserted}</p>
      ) : s.deleted ? (
        <p className="suggestion-text suggestion-deletion">{s.deleted}</p>
      ) : null}
      {s.formats.length > 0 && (
        <p className="suggestion-text">
          {quote(s.formatted)}: <span className="suggestion-formatting">{s.formats.join(", ")}</span>
        </p>
      )}
      {[...new Set(s.blocks)].map((b) => (
        <p key={b} className="suggestion-text suggestion-block">
          {b}
        </p>
      ))}
    </>
  );
}

const VERB: Record<Suggestion["kind"], string> = {
  insertion: "suggests adding",
  deletion: "suggests deleting",
  replacement: "suggests replacing",
  formatting: "suggests formatting",
  structure: "suggests",
};

export function SuggestionsPanel({ editor, list, canResolve }: { editor: Editor; list: Suggestion[]; canResolve: boolean }) {
  if (list.length === 0) return null;
  return (
    <aside className="suggestions-panel" aria-label="Suggestions">
      <div className="comments-head">
        <h2>Suggestions ({list.length})</h2>
        {canResolve && (
          <>
            <button type="button" className="link-button" onClick={() => void resolve(editor, null, true)}>
              Accept all
            </button>
            <button type="button" className="link-button" onClick={() => void resolve(editor, null, false)}>
              Reject all
            </button>
          </>
        )}
      </div>
      <ul className="thread-list">
        {list.map((s) => (
          <li key={s.id} className={`suggestion-item suggestion-item-${s.kind}`} aria-label={s.label}>
            <span className="comment-author">{s.author || "Someone"}</span> <span className="hint">{VERB[s.kind]}</span>
            <What s={s} />
            {s.command && (
              <p className="hint">
                AI command: {s.command}
                {s.model ? ` · ${s.model}` : ""}
              </p>
            )}
            {canResolve && (
              <div className="thread-actions">
                <button type="button" className="button" onClick={() => void resolve(editor, new Set([s.id]), true)}>
                  Accept
                </button>
                <button type="button" className="button" onClick={() => void resolve(editor, new Set([s.id]), false)}>
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
