/** The open More menu (MoreMenu.tsx): focus starts on its first item, arrows move,
 * Escape closes it and returns to the text, Tab or a click elsewhere closes it. */
import { useEffect, useRef } from "react";
import { keyLabel } from "../shortcuts/keys";
import "./more-menu.css";
import { moveFocus } from "./roving";
import type { ToolItem } from "./toolbar-items";

interface Props {
  items: ToolItem[];
  onOpen: (open: boolean) => void;
  onDone: () => void;
}

export default function MoreList({ items, onOpen, onDone }: Props) {
  const list = useRef<HTMLDivElement>(null);

  useEffect(() => {
    list.current?.querySelector<HTMLElement>("[role^=menuitem]")?.focus();
    const away = (e: PointerEvent) => {
      if (!list.current?.parentElement?.contains(e.target as Node)) onOpen(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [onOpen]);

  return (
    <div
      ref={list}
      className="tb-menu"
      role="menu"
      aria-label="More"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          onOpen(false);
          onDone();
          return;
        }
        if (e.key === "Tab") {
          onOpen(false);
          return;
        }
        moveFocus(e, list.current, "vertical");
      }}
    >
      {items.map((item) => (
        <button
          key={item.key}
          type="button"
          {...(item.pressed === undefined ? { role: "menuitem" } : { role: "menuitemcheckbox", "aria-checked": item.pressed })}
          aria-disabled={item.disabled || undefined}
          data-roving=""
          tabIndex={-1}
          className="tb-menu-item"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            if (item.disabled) return;
            onOpen(false);
            item.run();
          }}
        >
          <span className="tb-menu-label">{item.label}</span>
          {item.shortcut && <kbd className="tb-menu-keys">{keyLabel(item.shortcut)}</kbd>}
        </button>
      ))}
    </div>
  );
}
