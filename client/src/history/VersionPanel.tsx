/** The history side panel: the list of versions (or why it could not be read, with Try
 * again), and "Name this version" for owner and edit links. */
import "./history-views.css";
import { useCallback, useEffect, useState } from "react";
import type { Role } from "../../../shared/protocol";
import { canWrite } from "../../../shared/protocol";
import type { Version } from "../../../shared/versions";
import { listVersions, nameVersion } from "../lib/api";
import { panelProps } from "../panels/Panel";
import { byteSize, versionTime, versionTitle } from "./format";

const message = (err: unknown) => (err instanceof Error ? err.message : "Something went wrong");

interface Props {
  docId: string;
  token: string;
  role: Role;
  selected: Version | null;
  /** Grows when versions changed elsewhere (a restore's checkpoint, a delete). */
  changes: number;
  onSelect: (version: Version) => void;
  onClose: () => void;
}

export function VersionPanel({ docId, token, role, selected, changes, onSelect, onClose }: Props) {
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      setVersions(await listVersions(docId, token));
      setError(null);
    } catch (err) {
      setError(message(err));
    } finally {
      setLoading(false);
    }
  }, [docId, token]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes` is the signal to read the list again
  useEffect(() => {
    void refresh();
  }, [refresh, changes]);

  return (
    <aside aria-label="Version history" {...panelProps("end", onClose, "history-panel")}>
      <div className="history-head">
        <h2>Version history</h2>
        <button type="button" className="icon-button" aria-label="Close history" onClick={onClose}>
          ×
        </button>
      </div>
      {canWrite(role) && (
        <NameForm
          onName={async (name) => {
            await nameVersion(docId, token, name);
            await refresh();
          }}
        />
      )}
      {versions === null && error ? (
        <div className="history-error history-list-error" role="alert">
          <p>The history could not be loaded: {error}</p>
          <button type="button" className="button" disabled={loading} onClick={() => void refresh()}>
            {loading ? "Trying…" : "Try again"}
          </button>
        </div>
      ) : versions === null ? (
        <div className="loading">Loading…</div>
      ) : versions.length === 0 ? (
        <p className="empty history-empty">
          No versions yet. One is saved a few seconds after everyone leaves, every 10 minutes while people edit, and whenever someone names
          one.
        </p>
      ) : (
        <>
          {error && (
            <div className="history-error" role="alert">
              Could not refresh the list: {error}
            </div>
          )}
          <ul className="version-list" aria-label="Versions">
            {versions.map((v) => (
              <li key={v.id}>
                <button
                  type="button"
                  className="version-item"
                  aria-current={selected?.id === v.id ? "true" : undefined}
                  onClick={() => onSelect(v)}
                >
                  <span className={v.name ? "version-title named" : "version-title"}>{versionTitle(v)}</span>
                  <span className="version-meta">
                    {versionTime(v.createdAt)} · {byteSize(v.bytes)}
                  </span>
                  {v.authors && <span className="version-authors">{v.authors.join(", ")}</span>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}

function NameForm({ onName }: { onName: (name: string) => Promise<void> }) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="name-version"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return;
        setBusy(true);
        onName(name.trim())
          .then(() => {
            setName("");
            setError(null);
          })
          .catch((err: unknown) => setError(message(err)))
          .finally(() => setBusy(false));
      }}
    >
      <input
        aria-label="Version name"
        placeholder="e.g. Sent for review"
        maxLength={100}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="button" disabled={busy || !name.trim()}>
        Name this version
      </button>
      {error && (
        <div className="history-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
