import { useState } from "react";
import { MAX_IMPORT_MARKDOWN_BYTES } from "../../../shared/limits";
import { createDocument } from "../lib/api";
import { rememberDoc, saveDocTokens } from "../lib/storage";
import { Modal } from "./Modal";
import { markOwnerLinkPending } from "./owner-link";

/** A title for imported text: its first heading, else the file name. */
function guessTitle(markdown: string, fileName: string | null): string | undefined {
  const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(markdown)?.[1];
  const name = fileName?.replace(/\.(md|markdown|txt)$/i, "");
  return (heading ?? name)?.slice(0, 200) || undefined;
}

/** "Import Markdown" on the home page: a file or pasted text becomes a new document. */
export function ImportMarkdown({ navigate }: { navigate: (path: string) => void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const bytes = new TextEncoder().encode(text).byteLength;
  const tooBig = bytes > MAX_IMPORT_MARKDOWN_BYTES;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const doc = await createDocument({ title: guessTitle(text, fileName), markdown: text });
      saveDocTokens(doc.id, { owner: doc.ownerToken, edit: doc.editToken, comment: doc.commentToken, view: doc.viewToken });
      rememberDoc({ id: doc.id, title: doc.title, role: "owner" });
      markOwnerLinkPending(doc.id);
      navigate(`/d/${doc.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Could not import");
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button big" onClick={() => setOpen(true)}>
        Import Markdown
      </button>
      {open && (
        <Modal label="Import Markdown" onClose={() => setOpen(false)}>
          <h2>Import Markdown</h2>
          <p className="hint">Choose a .md file or paste Markdown. It becomes a new document that you own.</p>
          <input
            type="file"
            accept=".md,.markdown,.txt,text/markdown,text/plain"
            aria-label="Markdown file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              setText(await file.text());
            }}
          />
          <textarea
            className="import-text"
            aria-label="Markdown text"
            placeholder={"# Title\n\nSome **bold** text…"}
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={12}
          />
          {tooBig && (
            <p className="notice" role="alert">
              That is {Math.ceil(bytes / 1024)} KiB; imports are limited to {MAX_IMPORT_MARKDOWN_BYTES / 1024} KiB.
            </p>
          )}
          {error && (
            <p className="notice" role="alert">
              {error}
            </p>
          )}
          <div className="modal-actions">
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="button" className="button primary" disabled={busy || tooBig || text.trim() === ""} onClick={() => void submit()}>
              {busy ? "Importing…" : "Create document"}
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}
