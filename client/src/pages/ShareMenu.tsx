import { useState } from "react";
import { shareUrl } from "../../../shared/api";
import { docTokens } from "../lib/storage";

/** The links this browser knows for the document, with Copy buttons. */
export function ShareMenu({ id }: { id: string }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const tokens = docTokens(id);
  const links = [
    tokens.edit ? { kind: "edit" as const, label: "Anyone with this link can edit", url: shareUrl(location.origin, id, "edit", tokens.edit) } : null,
    tokens.view ? { kind: "view" as const, label: "Anyone with this link can view", url: shareUrl(location.origin, id, "view", tokens.view) } : null,
  ].filter((l) => l !== null);

  const copy = async (kind: string, url: string) => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      window.prompt("Copy this link", url);
    }
    setCopied(kind);
    setTimeout(() => setCopied(null), 1500);
  };

  return (
    <div className="share">
      <button type="button" className="button primary" aria-expanded={open} onClick={() => setOpen(!open)}>
        Share
      </button>
      {open && (
        <div className="share-panel" role="dialog" aria-label="Share this document">
          {links.map((l) => (
            <div className="share-row" key={l.kind}>
              <label>
                {l.label}
                <input readOnly value={l.url} aria-label={`${l.kind === "edit" ? "Edit" : "View"} link`} onFocus={(e) => e.target.select()} />
              </label>
              <button type="button" className="button" onClick={() => void copy(l.kind, l.url)}>
                {copied === l.kind ? "Copied!" : `Copy ${l.kind} link`}
              </button>
            </div>
          ))}
          <p className="hint">Links carry their key after “#”, which browsers never send to a server log.</p>
        </div>
      )}
    </div>
  );
}
