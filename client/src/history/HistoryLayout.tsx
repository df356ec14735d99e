/**
 * Version history around the live editor: a side panel listing versions, a read-only
 * preview of the one selected (replacing the editor view, which stays mounted and
 * connected underneath), "Name this version", and Restore. Restore asks the server for
 * a checkpoint of the current state plus the version's content, then applies that
 * content in this user's editor (apply.ts): everyone sees it live and Undo takes it back.
 * Every link lists and previews; owner and edit links name and restore; the owner also
 * deletes named versions and rebuilds the document from a version (RebuildDialog.tsx).
 */
import type { Editor, JSONContent } from "@tiptap/core";
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from "react";
import type { Role } from "../../../shared/protocol";
import { canWrite } from "../../../shared/protocol";
import type { Version } from "../../../shared/versions";
import { deleteVersion, listVersions, nameVersion, prepareRestore, versionContent } from "../lib/api";
import { applyVersion } from "./apply";
import { byteSize, versionTime, versionTitle } from "./format";
import { takeRebuiltNotice } from "./rebuilt-notice";
import { UnsavedCopyNotice } from "./UnsavedCopy";

import "./history.css";

interface Props {
  docId: string;
  /** The token this page opened the document with (whatever link kind it is). */
  token: string;
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

// Only needed once a version is opened, or the owner asks to rebuild.
const VersionPreview = lazy(() => import("./VersionPreview").then((m) => ({ default: m.VersionPreview })));
const RebuildDialog = lazy(() => import("./RebuildDialog").then((m) => ({ default: m.RebuildDialog })));

export function HistoryLayout({ docId, token, role, editor, open, onClose, children }: Props) {
  const editable = canWrite(role);
  const owner = role === "owner";
  const [versions, setVersions] = useState<Version[] | null>(null);
  /** Why the list could not be read (shown instead of it, with Try again). */
  const [listError, setListError] = useState<string | null>(null);
  /** Why the last action failed (shown above the list). */
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Selected | null>(null);
  const [notice, setNotice] = useState<string | null>(() => takeRebuiltNotice(docId));
  const [busy, setBusy] = useState(false);
  const [loading, setLoading] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [rebuilding, setRebuilding] = useState<Version | null>(null);

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      setVersions(await listVersions(docId, token));
      setListError(null);
    } catch (err) {
      setListError(message(err));
    } finally {
      setLoading(false);
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
    setConfirmDelete(false);
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
      setError(null);
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

  const remove = async (version: Version) => {
    setBusy(true);
    try {
      await deleteVersion(docId, token, version.id);
      setSelected(null);
      setConfirmDelete(false);
      setError(null);
      setNotice(`Deleted the version “${versionTitle(version)}”.`);
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
        <UnsavedCopyNotice docId={docId} />
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
                {owner && (
                  <button
                    type="button"
                    className="button"
                    disabled={busy || !selected.content}
                    title="Replace the document's stored history with a fresh copy of this version"
                    onClick={() => setRebuilding(selected.version)}
                  >
                    Rebuild from this version
                  </button>
                )}
                {owner && selected.version.kind === "named" && !confirmDelete && (
                  <button type="button" className="button danger-button" disabled={busy} onClick={() => setConfirmDelete(true)}>
                    Delete version
                  </button>
                )}
                <button type="button" className="button" onClick={() => setSelected(null)}>
                  Back to current document
                </button>
              </div>
              {confirmDelete && (
                // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would bring form semantics to two buttons
                <div className="history-confirm" role="group" aria-label="Confirm delete">
                  <p>Delete “{versionTitle(selected.version)}” from the history, for everyone? The document itself does not change.</p>
                  <div className="modal-actions">
                    <button type="button" className="button" disabled={busy} onClick={() => setConfirmDelete(false)}>
                      Keep it
                    </button>
                    <button type="button" className="button danger-button" disabled={busy} onClick={() => void remove(selected.version)}>
                      {busy ? "Deleting…" : "Delete this version"}
                    </button>
                  </div>
                </div>
              )}
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
      {rebuilding && (
        <Suspense fallback={null}>
          <RebuildDialog docId={docId} token={token} version={rebuilding} onClose={() => setRebuilding(null)} />
        </Suspense>
      )}
      {open && (
        <aside className="history-panel" aria-label="Version history">
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
          {versions === null && listError ? (
            <div className="history-error history-list-error" role="alert">
              <p>The history could not be loaded: {listError}</p>
              <button type="button" className="button" disabled={loading} onClick={() => void refresh()}>
                {loading ? "Trying…" : "Try again"}
              </button>
            </div>
          ) : versions === null ? (
            <div className="loading">Loading…</div>
          ) : versions.length === 0 ? (
            <p className="empty history-empty">
              No versions yet. One is saved a few seconds after everyone leaves, every 10 minutes while people edit, and whenever someone
              names one.
            </p>
          ) : (
            <>
              {listError && (
                <div className="history-error" role="alert">
                  Could not refresh the list: {listError}
                </div>
              )}
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
            </>
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
