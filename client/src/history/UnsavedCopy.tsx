/**
 * Changes this browser had not saved when the owner rebuilt the document, or that the
 * server refused as too large for it (collab/epoch.ts keeps them). The rebuilt document is a new CRDT, so they cannot be merged into it;
 * they are offered back as a copy: shown read-only, to select and paste back, copy whole
 * or download, until the person discards them.
 */
import { lazy, Suspense, useEffect, useState } from "react";
import { hasUnsavedCopy, UNSAVED_COPY_EVENT, unsavedCopyWhy } from "../collab/epoch";

const UnsavedCopyDialog = lazy(() => import("./UnsavedCopyDialog").then((m) => ({ default: m.UnsavedCopyDialog })));

export function UnsavedCopyNotice({ docId }: { docId: string }) {
  const [copy, setCopy] = useState(() => hasUnsavedCopy(docId));
  const [showing, setShowing] = useState(false);
  useEffect(() => {
    const onChange = (e: Event) => {
      if ((e as CustomEvent<string>).detail === docId) setCopy(hasUnsavedCopy(docId));
    };
    window.addEventListener(UNSAVED_COPY_EVENT, onChange);
    return () => window.removeEventListener(UNSAVED_COPY_EVENT, onChange);
  }, [docId]);
  if (!copy) return null;
  return (
    <>
      <div className="notice history-notice unsaved-copy-notice" role="alert">
        <span>
          {unsavedCopyWhy(docId) === "too-large"
            ? "A change from this browser was too large for this document, so it was not saved. It is not in the document now."
            : "The owner rebuilt this document while this browser had changes that were not saved. They are not in it now."}
        </span>
        <button type="button" className="button" onClick={() => setShowing(true)}>
          Show my unsaved changes
        </button>
      </div>
      {showing && (
        <Suspense fallback={null}>
          <UnsavedCopyDialog docId={docId} onClose={() => setShowing(false)} />
        </Suspense>
      )}
    </>
  );
}
