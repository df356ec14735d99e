import { useState } from "react";
import { rotateLink } from "../lib/api";
import { saveDocTokens } from "../lib/storage";
import { markOwnerLinkPending } from "./owner-link";

/** Resetting the owner link (say it leaked): every other holder loses owner rights at
 * once, this page included (its socket was opened with the old link), so the page
 * reopens with the new one and shows it once, like after creating the document. The
 * share links do not change. */
export function OwnerLinkReset({ id, token }: { id: string; token: string }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      const issued = await rotateLink(id, token, "owner");
      saveDocTokens(id, { owner: issued.token });
      markOwnerLinkPending(id);
      location.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Could not reset the owner link");
      setBusy(false);
    }
  };
  return (
    <section className="link-row" aria-label="Owner link">
      <div className="link-row-head">
        <span className="link-label">Owner link</span>
        {!confirming && (
          <span className="link-owner-actions">
            <button type="button" className="link-button" onClick={() => setConfirming(true)}>
              Reset owner link
            </button>
          </span>
        )}
      </div>
      <p className="hint">Opens this document as its owner, with these links, in any browser. Keep it private.</p>
      {confirming && (
        // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would bring form semantics to two buttons that are not form fields
        <div className="danger confirm" role="group" aria-label="Confirm owner link reset">
          <p>
            Reset the owner link? Every other browser that has it stops being the owner at once. The edit, comment and view links keep
            working. This page reopens with the new owner link to save.
          </p>
          <div className="modal-actions">
            <button type="button" className="button" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="button danger-button" disabled={busy} onClick={() => void reset()}>
              {busy ? "Resetting…" : "Reset owner link"}
            </button>
          </div>
          {error && (
            <p className="notice" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
