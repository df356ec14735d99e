/** The toolbar's More menu: the items the row had no room for, spelled out, with their
 * state (checked toggles) and shortcuts. A menu button and a menu as WAI-ARIA's menu
 * button pattern says: Enter, Space or ArrowDown open it on the first item, arrows
 * move, Escape or Tab close it; choosing runs the item and returns to the text. The
 * list (MoreList.tsx) loads when first opened. */
import { lazy, Suspense, useEffect } from "react";
import type { ToolItem } from "./toolbar-items";

const MoreList = lazy(() => import("./MoreList"));

interface Props {
  items: ToolItem[];
  open: boolean;
  onOpen: (open: boolean) => void;
  /** The toolbar's Tab stop is this button. */
  tabStop: boolean;
  separated: boolean;
  onFocus: () => void;
  /** After choosing or Escape: back to the text. */
  onDone: () => void;
}

export function MoreMenu({ items, open, onOpen, tabStop, separated, onFocus, onDone }: Props) {
  const empty = items.length === 0;
  useEffect(() => {
    if (empty && open) onOpen(false);
  }, [empty, open, onOpen]);

  return (
    <div className={`tb-more-wrap${separated ? " tb-sep" : ""}${empty ? " tb-out" : ""}`} inert={empty}>
      <button
        type="button"
        className="tb-button tb-more"
        data-roving={empty ? undefined : ""}
        aria-label="More"
        title="More"
        aria-haspopup="menu"
        aria-expanded={open}
        tabIndex={tabStop ? 0 : -1}
        onFocus={onFocus}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => onOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            e.stopPropagation();
            onOpen(true);
          }
        }}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <Suspense fallback={null}>
          <MoreList items={items} onOpen={onOpen} onDone={onDone} />
        </Suspense>
      )}
    </div>
  );
}
