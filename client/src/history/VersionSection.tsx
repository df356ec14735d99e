/**
 * One version, in place of the live editor: its read-only preview, Restore (owner and
 * edit links: the server records a checkpoint of the current state and returns the
 * version's content, applied in this user's editor so everyone sees it live and Undo
 * takes it back, apply.ts), for the owner Rebuild (RebuildDialog.tsx) and Delete
 * (named versions, after a confirmation); and Compare, with the current document or
 * another version (CompareView.tsx), with Restore still in the banner.
 */
import type { PresentPerson } from "../presence/author-colors";
import type { Editor, JSONContent } from "@tiptap/core";
import "./history-views.css";
import { lazy, Suspense, useEffect, useState } from "react";
import type { Role } from "../../../shared/protocol";
import { canWrite } from "../../../shared/protocol";
import type { Version } from "../../../shared/versions";
import { deleteVersion, listVersions, prepareRestore, versionContent } from "../lib/api";
import { applyVersion } from "./apply";
import { CompareView, CURRENT } from "./CompareView";
import { versionTime, versionTitle } from "./format";
import { VersionPreview } from "./VersionPreview";

const RebuildDialog = lazy(() => import("./RebuildDialog").then((m) => ({ default: m.RebuildDialog })));

const message = (err: unknown) => (err instanceof Error ? err.message : "Something went wrong");

interface Props {
  docId: string;
  token: string;
  role: Role;
  editor: Editor | null;
  version: Version;
  onBack: () => void;
  /** An action finished: back to the document, with this to tell. */
  onDone: (notice: string) => void;
  /** People present now (compare keeps their caret colours). */
  present: readonly PresentPerson[];
}

export function VersionSection({ docId, token, role, editor, version, onBack, onDone, present }: Props) {
  const owner = role === "owner";
  const [content, setContent] = useState<JSONContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [rebuilding, setRebuilding] = useState(false);
  /** Compared with: "current" or another version's id; null shows the preview. */
  const [compareWith, setCompareWith] = useState<string | null>(null);
  const [others, setOthers] = useState<Version[]>([]);
  const title = versionTitle(version);
  const when = versionTime(version.createdAt);

  useEffect(() => {
    let live = true;
    versionContent(docId, token, version.id).then(
      (c) => live && setContent(c as JSONContent),
      (err: unknown) => live && setError(message(err)),
    );
    return () => {
      live = false;
    };
  }, [docId, token, version.id]);

  const comparing = compareWith !== null;
  // Read each time Compare opens, so versions named meanwhile are offered.
  useEffect(() => {
    if (!comparing) return;
    let live = true;
    // For the picker only: without the list, comparing with the current document still works.
    listVersions(docId, token).then(
      (list) => live && setOthers(list.filter((v) => v.id !== version.id)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [comparing, docId, token, version.id]);
  const compared = compareWith === null ? null : compareWith === CURRENT ? CURRENT : (others.find((v) => v.id === compareWith) ?? null);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await action());
    } catch (err) {
      setError(message(err));
      setBusy(false);
    }
  };

  const restore = () =>
    act(async () => {
      const res = await prepareRestore(docId, token, version.id);
      // A read-only (damaged or oversized) document is restored by the server itself.
      if (res.mode === "client" && editor) applyVersion(editor, res.content as JSONContent);
      return res.mode === "client"
        ? `Restored “${title}” from ${when}. Undo brings back what was there.`
        : `Restored “${title}” from ${when}.`;
    });

  const remove = () =>
    act(async () => {
      await deleteVersion(docId, token, version.id);
      return `Deleted the version “${title}”.`;
    });

  return (
    <section className="version-preview" aria-label="Version preview">
      <div className="preview-banner">
        <div>
          <div className="preview-title">{title}</div>
          <div className="preview-meta">
            {when} · {compareWith === null ? "read-only preview" : "compare"}
          </div>
        </div>
        <div className="preview-actions">
          {compareWith === null ? (
            <button type="button" className="button" onClick={() => setCompareWith(CURRENT)}>
              Compare with current
            </button>
          ) : (
            <>
              <label className="compare-pick">
                <span>Compare with</span>
                <select value={compareWith} onChange={(e) => setCompareWith(e.target.value)}>
                  <option value={CURRENT}>Current document</option>
                  {others.map((v) => (
                    <option key={v.id} value={v.id}>
                      {versionTitle(v)} · {versionTime(v.createdAt)}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="button" onClick={() => setCompareWith(null)}>
                Show this version
              </button>
            </>
          )}
          {canWrite(role) && (
            <button type="button" className="button primary" disabled={busy || !editor || !content} onClick={() => void restore()}>
              Restore this version
            </button>
          )}
          {owner && (
            <button
              type="button"
              className="button"
              disabled={busy || !content}
              title="Replace the document's stored history with a fresh copy of this version"
              onClick={() => setRebuilding(true)}
            >
              Rebuild from this version
            </button>
          )}
          {owner && version.kind === "named" && !confirmDelete && (
            <button type="button" className="button danger-button" disabled={busy} onClick={() => setConfirmDelete(true)}>
              Delete version
            </button>
          )}
          <button type="button" className="button" onClick={onBack}>
            Back to current document
          </button>
        </div>
        {confirmDelete && (
          // biome-ignore lint/a11y/useSemanticElements: a <fieldset> would bring form semantics to two buttons
          <div className="history-confirm" role="group" aria-label="Confirm delete">
            <p>Delete “{title}” from the history, for everyone? The document itself does not change.</p>
            <div className="modal-actions">
              <button type="button" className="button" disabled={busy} onClick={() => setConfirmDelete(false)}>
                Keep it
              </button>
              <button type="button" className="button danger-button" disabled={busy} onClick={() => void remove()}>
                {busy ? "Deleting…" : "Delete this version"}
              </button>
            </div>
          </div>
        )}
        {error && (
          <div className="history-error" role="alert">
            {error}
          </div>
        )}
      </div>
      {compared !== null ? (
        <CompareView docId={docId} token={token} version={version} other={compared} present={present} />
      ) : compareWith !== null ? (
        <div className="loading">Loading versions…</div>
      ) : content ? (
        <VersionPreview docId={docId} content={content} />
      ) : (
        !error && <div className="loading">Loading version…</div>
      )}
      {rebuilding && (
        <Suspense fallback={null}>
          <RebuildDialog docId={docId} token={token} version={version} onClose={() => setRebuilding(false)} />
        </Suspense>
      )}
    </section>
  );
}
