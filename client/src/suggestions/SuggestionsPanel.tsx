/** The suggestions in the document, live, with Accept and Reject per change and for
 * all; the buttons only for people who can edit. Opened from the header's count, never
 * by itself. Its stylesheet comes with it (it borrowed the comments panel's classes,
 * whose stylesheet loads only with that panel). */
import type { Suggestion } from "./list";
import "./suggestions-panel.css";

interface PanelProps {
  list: Suggestion[];
  /** Accepts or rejects these suggestions (null: all). */
  resolve: (ids: Set<string> | null, accept: boolean) => void;
  canResolve: boolean;
  onClose: () => void;
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

export function SuggestionsPanel({ list, resolve, canResolve, onClose }: PanelProps) {
  return (
    <aside className="suggestions-panel" aria-label="Suggestions">
      <div className="suggestions-head">
        <h2>Suggestions ({list.length})</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close suggestions">
          ×
        </button>
      </div>
      {canResolve && list.length > 0 && (
        <div className="suggestions-all">
          <button type="button" className="button" onClick={() => resolve(null, true)}>
            Accept all
          </button>
          <button type="button" className="button" onClick={() => resolve(null, false)}>
            Reject all
          </button>
        </div>
      )}
      {list.length === 0 && <p className="hint">No suggestions.</p>}
      <ul className="suggestion-list">
        {list.map((s) => (
          <li key={s.id} className={`suggestion-item suggestion-item-${s.kind}`} aria-label={s.label}>
            <span className="suggestion-author">{s.author || "Someone"}</span> <span className="hint">{VERB[s.kind]}</span>
            <What s={s} />
            {s.command && (
              <p className="hint">
                AI command: {s.command}
                {s.model ? ` · ${s.model}` : ""}
              </p>
            )}
            {canResolve && (
              <div className="suggestion-actions">
                <button type="button" className="button" onClick={() => resolve(new Set([s.id]), true)}>
                  Accept
                </button>
                <button type="button" className="button" onClick={() => resolve(new Set([s.id]), false)}>
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
