/** The copy of this browser's document from before a rebuild (UnsavedCopy.tsx): read-only,
 * with Copy all (HTML and text, so a paste into the editor keeps formatting), Download
 * (an HTML file) and Discard. */
import "./history-dialogs.css";
import { generateHTML, generateText } from "@tiptap/core";
import { useState } from "react";
import { safeFilename } from "../../../shared/filename";
import { schemaExtensions } from "../../../shared/schema";
import { dismissUnsavedCopy, unsavedCopy } from "../collab/unsaved-copy";
import { Modal } from "../sharing/Modal";
import { VersionPreview } from "./VersionPreview";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function UnsavedCopyDialog({ docId, onClose }: { docId: string; onClose: () => void }) {
  const [copy] = useState(() => unsavedCopy(docId));
  const [status, setStatus] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState(false);
  if (!copy) return null;
  const html = () => generateHTML(copy.content, schemaExtensions());
  const text = () => generateText(copy.content, schemaExtensions(), { blockSeparator: "\n\n" });
  return (
    <Modal label="Your unsaved changes" onClose={onClose} className="unsaved-copy-dialog">
      <h2>Your unsaved changes</h2>
      <p>
        This is the document as this browser had it when the owner rebuilt it, with the changes that had not reached the server. Copy what
        you need back into the document.
      </p>
      <div className="unsaved-copy-preview">
        <VersionPreview docId={docId} content={copy.content} />
      </div>
      {status && (
        <p className="hint" role="status">
          {status}
        </p>
      )}
      <div className="modal-actions">
        <button
          type="button"
          className="button"
          onClick={async () => {
            try {
              if (typeof ClipboardItem === "function") {
                await navigator.clipboard.write([
                  new ClipboardItem({
                    "text/html": new Blob([html()], { type: "text/html" }),
                    "text/plain": new Blob([text()], { type: "text/plain" }),
                  }),
                ]);
              } else {
                await navigator.clipboard.writeText(text());
              }
              setStatus("Copied. Paste it into the document where you want it.");
            } catch {
              setStatus("Copying was not allowed here: select the text above and copy it, or download it.");
            }
          }}
        >
          Copy all
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            const page = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(copy.title)}</title></head><body>${html()}</body></html>\n`;
            const url = URL.createObjectURL(new Blob([page], { type: "text/html" }));
            const a = document.createElement("a");
            a.href = url;
            a.download = safeFilename(`${copy.title || "document"} (unsaved changes)`, "html");
            a.click();
            setTimeout(() => URL.revokeObjectURL(url), 10_000);
          }}
        >
          Download
        </button>
        {discarding ? (
          <button
            type="button"
            className="button danger-button"
            onClick={() => {
              dismissUnsavedCopy(docId);
              onClose();
            }}
          >
            Discard for good
          </button>
        ) : (
          <button type="button" className="button" onClick={() => setDiscarding(true)}>
            Discard…
          </button>
        )}
        <button type="button" className="button primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
