/** The one container every side panel sits in (Outline, Comments, Suggestions, History;
 * the AI answer uses its class): beside the document on wide screens, taking its own
 * column so the text keeps its width; a bottom sheet over the document on phones, where
 * a column would squeeze the text to a letter per line (panels.css). Escape anywhere in
 * it closes it, and the caller puts the focus back in the text. What is inside (the
 * heading, the close button, the lists) belongs to each panel. */
import type { KeyboardEvent, ReactNode } from "react";
import "./panels.css";

export type PanelSide = "start" | "end";

/** The container's class and keys, for a panel that is its own container element. */
export function panelProps(
  side: PanelSide,
  onClose: () => void,
  className = "",
): { className: string; onKeyDown: (e: KeyboardEvent) => void } {
  return {
    className: `panel panel-${side} ${className}`.trim(),
    onKeyDown: (e) => {
      // A control inside that uses Escape itself (a menu, a draft) says so.
      if (e.key !== "Escape" || e.defaultPrevented) return;
      e.preventDefault();
      onClose();
    },
  };
}

export function Panel({ side, onClose, children }: { side: PanelSide; onClose: () => void; children: ReactNode }) {
  return <div {...panelProps(side, onClose)}>{children}</div>;
}
