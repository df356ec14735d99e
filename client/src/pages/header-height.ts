import { useCallback, useRef } from "react";

/** A ref for the sticky header that keeps `--header-h` equal to its real height, which
 * changes as it wraps (phones, long titles, the follow bar), so the sticky toolbar sits
 * flush under it instead of sliding beneath it or leaving a gap that shows scrolled text. */
export function useHeaderHeight(): (el: HTMLElement | null) => void {
  const observer = useRef<ResizeObserver | null>(null);
  return useCallback((el: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    const root = document.documentElement;
    observer.current = new ResizeObserver(() => root.style.setProperty("--header-h", `${Math.round(el.getBoundingClientRect().height)}px`));
    observer.current.observe(el);
  }, []);
}
