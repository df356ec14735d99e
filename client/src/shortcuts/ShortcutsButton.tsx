import { lazy, type ReactNode, Suspense, useEffect, useState } from "react";
import { createPortal } from "react-dom";

const ShortcutsDialog = lazy(() => import("./ShortcutsDialog"));

/** Ctrl/Cmd+/ anywhere on the page opens the shortcut list, as does the "?" button.
 * `dialog` is rendered at the end of <body>: the button lives in the header's menu,
 * which is hidden while closed. */
export function useShortcutList(): { show: () => void; dialog: ReactNode } {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "/" && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const dialog =
    open &&
    createPortal(
      <Suspense fallback={null}>
        <ShortcutsDialog onClose={() => setOpen(false)} />
      </Suspense>,
      document.body,
    );
  return { show: () => setOpen(true), dialog };
}

export function ShortcutsButton({ onOpen }: { onOpen: () => void }) {
  return (
    <button type="button" className="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (Ctrl+/)" onClick={onOpen}>
      ?
    </button>
  );
}
