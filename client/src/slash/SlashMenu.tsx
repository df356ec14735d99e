import type { Editor } from "@tiptap/core";
import { useSyncExternalStore } from "react";
import "./slash.css";
import type { SlashStore } from "./slash-store";

/** The "/" menu: arrow keys move, Enter or a click picks, Escape closes. */
export function SlashMenu({ editor, store }: { editor: Editor; store: SlashStore }) {
  const view = useSyncExternalStore(store.subscribe, store.snapshot);
  if (!view?.rect) return null;
  const shell = (editor.view.dom.closest(".editor-shell") ?? editor.view.dom).getBoundingClientRect();
  return (
    <div
      className="slash-menu"
      role="listbox"
      aria-label="Insert block"
      style={{ left: Math.max(0, view.rect.left - shell.left), top: view.rect.bottom - shell.top + 6 }}
      onMouseDown={(e) => e.preventDefault()}
    >
      {view.items.length === 0 ? (
        <div className="slash-empty">No matching block</div>
      ) : (
        view.items.map((item, i) => (
          <div
            key={item.title}
            role="option"
            tabIndex={-1}
            aria-selected={i === view.selected}
            className="slash-item"
            onClick={() => item.run(editor, view.range)}
            onKeyDown={() => {}}
          >
            {item.title}
          </div>
        ))
      )}
    </div>
  );
}
