import { useState } from "react";
import { deleteDoc } from "../lib/api";

interface DeleteProps {
  id: string;
  /** The owner token. */
  token: string;
  title: string;
  onDeleted: () => void;
}

/** Delete, behind an explicit confirmation: it disconnects everyone and cannot be undone. */
export function DeleteSection(props: DeleteProps) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <div className="danger">
        <p>Deleting removes the document for everyone, for good.</p>
        <button type="button" className="button danger-button" onClick={() => setConfirming(true)}>
          Delete document
        </button>
      </div>
    );
  }
  return <DeleteConfirm {...props} onCancel={() => setConfirming(false)} />;
}

/** The confirmation itself (the Share dialog's, and the document list's). */
export function DeleteConfirm({ id, token, title, onDeleted, onCancel }: DeleteProps & { onCancel: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would bring form semantics to two buttons that are not form fields
    <div className="danger confirm" role="group" aria-label="Confirm delete">
      <p>Delete “{title}” for everyone? Anyone who has it open is disconnected, every link stops working, and it cannot be undone.</p>
      <div className="modal-actions">
        <button type="button" className="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button danger-button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await deleteDoc(id, token);
              onDeleted();
            } catch (err) {
              setError(err instanceof Error ? err.message : "Could not delete the document");
              setBusy(false);
            }
          }}
        >
          {busy ? "Deleting…" : "Delete for everyone"}
        </button>
      </div>
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
