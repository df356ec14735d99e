/** Keyboard movement inside a composite widget (WAI-ARIA's toolbar and menu patterns):
 * the widget is one Tab stop, arrow keys move between its items, Home and End go to
 * the first and last. Items are found in the DOM (`[data-roving]` that are visible), so
 * the widget can show or hide items freely. A few lines of our own rather than a
 * library: the first load of the editor page has no room for one. */
import type { KeyboardEvent } from "react";

const ITEMS = "[data-roving]";

/** The items keys can move to, in order: shown ones only (the More menu's leftovers
 * are out of the row, disabled ones stay reachable as the pattern recommends). */
export function rovingItems(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(ITEMS)].filter((el) => el.checkVisibility({ visibilityProperty: true }));
}

/** Handles the arrow, Home and End keys for `root`'s items; `axis` is the arrows' direction. */
export function moveFocus(e: KeyboardEvent, root: HTMLElement | null, axis: "horizontal" | "vertical"): boolean {
  if (!root) return false;
  const [back, forward] = axis === "horizontal" ? ["ArrowLeft", "ArrowRight"] : ["ArrowUp", "ArrowDown"];
  if (![back, forward, "Home", "End"].includes(e.key)) return false;
  const items = rovingItems(root);
  if (items.length === 0) return false;
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next =
    e.key === "Home"
      ? 0
      : e.key === "End"
        ? items.length - 1
        : e.key === forward
          ? (at + 1) % items.length
          : (at - 1 + items.length) % items.length;
  e.preventDefault();
  items[next]!.focus();
  return true;
}
