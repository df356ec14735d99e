/**
 * "Rebuild from this version" (owner only), behind a confirmation that says what it
 * does: the document's whole stored state (every edit and deletion the CRDT keeps, and
 * the ids of everyone who ever wrote) is replaced by a fresh copy of one version, which
 * is how a document worn down by years of edits or by an attack becomes fast again.
 */
import "./history-dialogs.css";
import { useState } from "react";
import type { Version } from "../../../shared/versions";
import { rebuildFromVersion } from "../lib/api";
import { Modal } from "../sharing/Modal";
import { byteSize, versionTime, versionTitle } from "./format";
import { setRebuiltNotice } from "./rebuilt-notice";

export function RebuildDialog({ docId, token, version, onClose }: { docId: string; token: string; version: Version; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = versionTitle(version);
  return (
    <Modal label="Rebuild the document" onClose={() => !busy && onClose()} className="rebuild-dialog">
      <h2>Rebuild from “{name}”?</h2>
      <p>
        The document is replaced by a fresh copy of this version ({versionTime(version.createdAt)}), without the stored history of every
        past edit. Use it when the document has become slow to open or to edit.
      </p>
      <ul className="rebuild-points">
        <li>
          The document becomes exactly this version. Changes made since are not in it, but the current document is kept in the history as
          “Before a rebuild”, to restore or copy from.
        </li>
        <li>Comments stay on their text, and images stay.</li>
        <li>
          Everyone who has it open is reloaded onto the rebuilt document. Changes someone had not saved yet are offered back to them as a
          copy, not merged.
        </li>
      </ul>
      {error && (
        <p className="history-error" role="alert">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="button" disabled={busy} onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              const res = await rebuildFromVersion(docId, token, version.id);
              setRebuiltNotice(
                docId,
                `Rebuilt from “${name}”: the stored state went from ${byteSize(res.bytesBefore)} to ${byteSize(res.bytes)}. The document as it was is kept as “Before a rebuild”.`,
              );
              onClose();
            } catch (err) {
              setError(err instanceof Error ? err.message : "The document could not be rebuilt");
              setBusy(false);
            }
          }}
        >
          {busy ? "Rebuilding…" : "Rebuild the document"}
        </button>
      </div>
    </Modal>
  );
}
