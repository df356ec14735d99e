/**
 * Version history around the live editor: a side panel listing versions, a read-only
 * preview of the one selected (replacing the editor view, which stays mounted and
 * connected underneath), "Name this version", and Restore. Restore asks the server for
 * a checkpoint of the current state plus the version's content, then applies that
 * content in this user's editor (apply.ts): everyone sees it live and Undo takes it back.
 */
import type { Editor, JSONContent } from "@tiptap/core";
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from "react";
import type { Role } from "../../../shared/protocol";
import { canWrite } from "../../../shared/protocol";
import type { Version } from "../../../shared/versions";
import { docTokens } from "../lib/storage";
import { listVersions, nameVersion, prepareRestore, versionContent } from "../lib/api";
import { panelProps } from "../panels/Panel";
import { applyVersion } from "./apply";
import { byteSize, versionTime, versionTitle } from "./format";

import "./history.css";

interface Props {
  docId: string;
  role: Role;
  editor: Editor | null;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}

interface Selected {
  version: Version;
  content: JSONContent | null;
}

const message = (err: unknown) => (err instanceof Error ? err.message : "Something went wrong");

// Only needed once a version is opened.
const VersionPreview = lazy(() => import("./VersionPreview").then((m) => ({ default: m.VersionPreview })));

export function HistoryLayout({ docId, role, editor, open, onClose, children }: Props) {
  const tokens = docTokens(docId);
  const token = tokens.edit ?? tokens.view ?? "";
  const editable = canWrite(role) && Boolean(tokens.edit);
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Selected | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setVersions(await listVersions(docId, token));
      setError(null);
    } catch (err) {
      setError(message(err));
    }
  }, [docId, token]);

  useEffect(() => {
    if (open) void refresh();
    else setSelected(null);
  }, [open, refresh]);

  useEffect(() => {
    if (!selected) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setSelected(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [selected]);

  const select = async (version: Version) => {
    setSelected({ version, content: null });
    try {
      const content = (await versionContent(docId, token, version.id)) as JSONContent;
      setSelected((s) => (s?.version.id === version.id ? { version, content } : s));
    } catch (err) {
      setError(message(err));
      setSelected(null);
    }
  };

  const restore = async (version: Version) => {
    if (!editor) return;
    setBusy(true);
    try {
      const res = await prepareRestore(docId, token, version.id);
      // A read-only (damaged or oversized) document is restored by the server itself.
      if (res.mode === "client") applyVersion(editor, res.content as JSONContent);
      setSelected(null);
      setNotice(
        res.mode === "client"
          ? `Restored “${versionTitle(version)}” from ${versionTime(version.createdAt)}. Undo brings back what was there.`
          : `Restored “${versionTitle(version)}” from ${versionTime(version.createdAt)}.`,
      );
      await refresh();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={open ? "history-layout with-panel" : "history-layout"}>
      <div className="history-main">
        {notice && (
          <div className="notice history-notice" aria-live="polite">
            {notice}
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
              ×
            </button>
          </div>
        )}
        <div className="history-live" hidden={selected !== null}>
          {children}
        </div>
        {selected && (
          <section className="version-preview" aria-label="Version preview">
            <div className="preview-banner">
              <div>
                <div className="preview-title">{versionTitle(selected.version)}</div>
                <div className="preview-meta">{versionTime(selected.version.createdAt)} · read-only preview</div>
              </div>
              <div className="preview-actions">
                {editable && (
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy || !editor || !selected.content}
                    onClick={() => void restore(selected.version)}
                  >
                    Restore this version
                  </button>
                )}
                <button type="button" className="button" onClick={() => setSelected(null)}>
                  Back to current document
                </button>
              </div>
            </div>
            {selected.content ? (
              <Suspense fallback={<p className="hint">Loading…</p>}>
                <VersionPreview docId={docId} content={selected.content} />
              </Suspense>
            ) : (
              <div className="loading">Loading version…</div>
            )}
          </section>
        )}
      </div>
      {open && (
        <aside aria-label="Version history" {...panelProps("end", onClose, "history-panel")}>
          <div className="history-head">
            <h2>Version history</h2>
            <button type="button" className="icon-button" aria-label="Close history" onClick={onClose}>
              ×
            </button>
          </div>
          {editable && (
            <NameForm
              onName={async (name) => {
                await nameVersion(docId, token, name);
                await refresh();
              }}
            />
          )}
          {error && (
            <div className="history-error" role="alert">
              {error}
            </div>
          )}
          {versions === null ? (
            <div className="loading">Loading…</div>
          ) : versions.length === 0 ? (
            <p className="empty history-empty">
              No versions yet. One is saved a few seconds after everyone leaves, every 10 minutes while people edit, and whenever someone
              names one.
            </p>
          ) : (
            <ul className="version-list" aria-label="Versions">
              {versions.map((v) => (
                <li key={v.id}>
                  <button
                    type="button"
                    className="version-item"
                    aria-current={selected?.version.id === v.id ? "true" : undefined}
                    onClick={() => void select(v)}
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
          )}
        </aside>
      )}
    </div>
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
