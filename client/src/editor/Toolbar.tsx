/** The editor's toolbar: one row, whatever the width. What does not fit goes to a More
 * menu at the row's end (least wanted first: toolbar-items.ts, toolbar-fit.ts). For the
 * keyboard it is one Tab stop; arrows, Home and End move inside (WAI-ARIA's toolbar
 * pattern), Escape goes back to the text. */
import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { type CSSProperties, useCallback, useLayoutEffect, useRef, useState } from "react";
import { keyLabel } from "../shortcuts/keys";
import { MoreMenu } from "./MoreMenu";
import { moveFocus } from "./roving";
import { fitToolbar, type FitItem } from "./toolbar-fit";
import { accessibleName, formattingItems, readFlags, type ToolItem } from "./toolbar-items";

/** The separator's extra width between groups (its margin, line and padding). */
const SEPARATOR_PX = 9;

interface Props {
  editor: Editor;
  /** The formatting buttons (people who can edit); others get only `extra`. */
  formatting: boolean;
  disabled: boolean;
  /** After the formatting buttons: AI, Suggesting, Comment. */
  extra: ToolItem[];
}

export function Toolbar({ editor, formatting, disabled, extra }: Props) {
  // Re-render only when what the buttons show changes.
  const flags = useEditorState({ editor, selector: ({ editor: e }) => (formatting ? readFlags(e) : "") });
  const items = [...(formatting ? formattingItems(editor, flags, disabled) : []), ...extra];
  const row = useRef<HTMLDivElement>(null);
  // null until measured: everything shows.
  const [shown, setShown] = useState<Set<string> | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const [menu, setMenu] = useState(false);
  const keys = items.map((i) => i.key).join();

  const refit = useCallback(() => {
    const el = row.current;
    const column = el?.parentElement;
    if (!el || !column) return;
    // The row may grow to its column's width (styles.css), so that is the room there is.
    const style = getComputedStyle(el);
    const chrome =
      parseFloat(style.paddingLeft) +
      parseFloat(style.paddingRight) +
      parseFloat(style.borderLeftWidth) +
      parseFloat(style.borderRightWidth);
    const available = column.clientWidth - chrome;
    const gap = parseFloat(style.columnGap) || 0;
    const measured: FitItem[] = [];
    for (const button of el.querySelectorAll<HTMLElement>("[data-item]")) {
      const key = button.dataset.item!;
      measured.push({ key, width: button.offsetWidth, keep: Number(button.dataset.keep), group: button.dataset.group! });
    }
    const more = el.querySelector<HTMLElement>(".tb-more")?.offsetWidth ?? 32;
    const next = fitToolbar(measured, { available, gap, separator: SEPARATOR_PX, more });
    setShown((prev) => (prev && prev.size === next.size && [...next].every((k) => prev.has(k)) ? prev : next));
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a different set of items (role, Suggesting available) is measured again.
  useLayoutEffect(() => {
    refit();
    const column = row.current?.parentElement;
    if (!column) return;
    const observer = new ResizeObserver(refit);
    observer.observe(column);
    return () => observer.disconnect();
  }, [refit, keys]);

  const visible = items.filter((i) => !shown || shown.has(i.key));
  const hidden = items.filter((i) => shown && !shown.has(i.key));
  const tabStop = visible.some((i) => i.key === current) ? current : (visible[0]?.key ?? "more");

  const back = () => editor.commands.focus();

  return (
    <div
      ref={row}
      // Without formatting (a commenter's Comment button) the row is no bar, just its buttons.
      className={formatting ? "toolbar toolbar-main" : "toolbar toolbar-main toolbar-lite"}
      role="toolbar"
      aria-label="Formatting"
      style={{ "--tb-sep": `${SEPARATOR_PX}px` } as CSSProperties}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !menu) {
          e.preventDefault();
          back();
          return;
        }
        if (e.target instanceof HTMLElement && e.target.closest("[role=menu]")) return;
        moveFocus(e, row.current, "horizontal");
      }}
    >
      {items.map((item) => {
        const out = shown !== null && !shown.has(item.key);
        const i = visible.indexOf(item);
        const separated = i > 0 && visible[i - 1]!.group !== item.group;
        const named = item.shortcut ? `${item.label} (${keyLabel(item.shortcut)})` : item.label;
        const title = item.hint ? `${named}: ${item.hint}` : named;
        return (
          <button
            key={item.key}
            type="button"
            data-item={item.key}
            data-keep={item.keep}
            data-group={item.group}
            data-roving={out ? undefined : ""}
            className={`tb-button${item.icon === undefined ? " tb-text" : ""}${separated ? " tb-sep" : ""}${out ? " tb-out" : ""}${item.className ? ` ${item.className}` : ""}`}
            inert={out}
            aria-label={item.icon === undefined ? undefined : accessibleName(item)}
            aria-pressed={item.pressed}
            aria-disabled={item.disabled || undefined}
            aria-keyshortcuts={item.shortcut?.replace(/Mod/g, "Control").replace(/-/g, "+")}
            title={title}
            tabIndex={item.key === tabStop ? 0 : -1}
            onFocus={() => setCurrent(item.key)}
            // Clicking keeps the editor's focus and selection.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              if (!item.disabled) item.run();
            }}
          >
            {item.icon ?? item.label}
          </button>
        );
      })}
      <MoreMenu
        items={hidden}
        open={menu}
        onOpen={setMenu}
        tabStop={tabStop === "more"}
        separated={visible.length > 0}
        onFocus={() => setCurrent("more")}
        onDone={back}
      />
    </div>
  );
}
