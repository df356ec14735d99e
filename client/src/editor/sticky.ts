import { useCallback, useRef } from "react";

/** A ref that keeps a CSS variable on <html> equal to the element's real height: the
 * sticky header (`--header-h`, which changes with the follow bar and the typing line)
 * and the sticky bars under it (`--bars-h`: toolbar, find, table tools), so what sticks
 * under them sits flush, and the caret is scrolled clear of them (below). */
export function useMeasuredHeight(variable: "--header-h" | "--bars-h"): (el: HTMLElement | null) => void {
  const observer = useRef<ResizeObserver | null>(null);
  return useCallback(
    (el: HTMLElement | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!el) return;
      const root = document.documentElement;
      observer.current = new ResizeObserver(() => root.style.setProperty(variable, `${Math.round(el.getBoundingClientRect().height)}px`));
      observer.current.observe(el);
    },
    [variable],
  );
}

export const useHeaderHeight = () => useMeasuredHeight("--header-h");

/** How far from the window's top ProseMirror keeps the caret when it scrolls it into
 * view: below the sticky header and bars (their heights are CSS variables measured by
 * useMeasuredHeight above), so typing on a line they would cover scrolls it clear.
 * ProseMirror reads the sides on every scroll, so getters keep it current. */
const px = (name: string): number => parseFloat(getComputedStyle(document.documentElement).getPropertyValue(name)) || 0;

export const stickyScrollMargin = {
  get top() {
    return px("--header-h") + px("--bars-h") + 8;
  },
  right: 5,
  bottom: 24,
  left: 5,
};
