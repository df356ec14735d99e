/**
 * Version history around the live editor: a side panel listing versions
 * (VersionPanel.tsx), a read-only preview of the one selected (VersionSection.tsx, in
 * place of the editor view, which stays mounted and connected underneath), and the
 * notices both leave. Both are loaded the first time history is opened: typing needs
 * neither. Every link lists and previews; owner and edit links name and restore; the
 * owner also deletes named versions and rebuilds the document from a version.
 */
import type { PresentPerson } from "../presence/author-colors";
import type { Editor } from "@tiptap/core";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import type { Role } from "../../../shared/protocol";
import type { Version } from "../../../shared/versions";
import { panelProps } from "../panels/Panel";
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
  /** People present now: compare colours them as their carets are. */
  present: readonly PresentPerson[];
  children: ReactNode;
}

const VersionPanel = lazy(() => import("./VersionPanel").then((m) => ({ default: m.VersionPanel })));
const VersionSection = lazy(() => import("./VersionSection").then((m) => ({ default: m.VersionSection })));

export function HistoryLayout({ docId, token, role, editor, open, onClose, present, children }: Props) {
  const [selected, setSelected] = useState<Version | null>(null);
  const [notice, setNotice] = useState<string | null>(() => takeRebuiltNotice(docId));
  /** Grows when a version was made or removed from the preview: the panel reads the list again. */
  const [changes, setChanges] = useState(0);

  useEffect(() => {
    if (!open) setSelected(null);
  }, [open]);

  useEffect(() => {
    if (!selected) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setSelected(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [selected]);

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
          <Suspense fallback={<div className="loading">Loading version…</div>}>
            <VersionSection
              key={selected.id}
              docId={docId}
              token={token}
              role={role}
              editor={editor}
              version={selected}
              present={present}
              onBack={() => setSelected(null)}
              onDone={(text) => {
                setSelected(null);
                setNotice(text);
                setChanges((n) => n + 1);
              }}
            />
          </Suspense>
        )}
      </div>
      {open && (
        <Suspense fallback={<aside {...panelProps("end", onClose, "history-panel loading")}>Loading…</aside>}>
          <VersionPanel
            docId={docId}
            token={token}
            role={role}
            selected={selected}
            changes={changes}
            onSelect={setSelected}
            onClose={onClose}
          />
        </Suspense>
      )}
    </div>
  );
}
