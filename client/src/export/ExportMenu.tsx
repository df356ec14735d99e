/**
 * The document header's Export menu: download as Word, Markdown, HTML or plain text,
 * or print (the print stylesheet leaves only the document; "Save as PDF" is the
 * browser's print destination). Any link can export, view links included.
 */
import { useEffect, useRef, useState } from "react";
import type { DownloadFormat } from "../../../shared/api";
import { bestToken } from "../lib/storage";
import { FORMAT_LABELS, MENU_FORMATS, saveExport } from "./download";
import "./export.css";
import "./print.css";

export function ExportMenu({ docId, title }: { docId: string; title: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<DownloadFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLButtonElement>("[role=menuitem]")?.focus();
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const download = async (format: DownloadFormat) => {
    const access = bestToken(docId);
    if (!access) return;
    setOpen(false);
    setBusy(format);
    setError(null);
    try {
      await saveExport(docId, access.token, format, title);
    } catch (err) {
      setError(err instanceof Error ? err.message : "The export failed");
    } finally {
      setBusy(null);
    }
  };

  /** Arrow keys move between items, as in any menu. */
  const onMenuKey = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const items = [...(root.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]") ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    items[(at + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length]?.focus();
  };

  return (
    <div className="export-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={busy !== null}
        onClick={() => setOpen(!open)}
      >
        {busy ? "Exporting…" : "Export"}
      </button>
      {open && (
        <div className="export-list" role="menu" aria-label="Export" onKeyDown={onMenuKey}>
          {MENU_FORMATS.map((f) => (
            <button key={f} type="button" role="menuitem" onClick={() => void download(f)}>
              {FORMAT_LABELS[f]}
            </button>
          ))}
          <hr className="export-sep" />
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              window.print();
            }}
          >
            Print / Save as PDF
          </button>
        </div>
      )}
      {error && (
        <p className="export-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
