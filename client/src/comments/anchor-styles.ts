/** Which anchors look commented: only those of open threads this client knows. A
 * resolved thread's text reads plain again (its mark stays, so reopening it brings the
 * highlight back), and so does a mark whose thread is gone (deleted, or pasted in from
 * elsewhere). One <style> element, rewritten when the set changes; thread ids are
 * [A-Za-z0-9_-], safe inside an attribute selector. */
import { useEffect } from "react";
import { type Thread, isThreadId } from "../../../shared/comments";

const STYLE_ID = "quire-open-anchors";

export function useAnchorHighlights(threads: Thread[]): void {
  const ids = threads
    .filter((t) => t.status !== "resolved" && isThreadId(t.id))
    .map((t) => t.id)
    .sort()
    .join(" ");
  useEffect(() => {
    let el = document.getElementById(STYLE_ID) as HTMLStyleElement | null;
    if (!el) {
      el = document.createElement("style");
      el.id = STYLE_ID;
      document.head.append(el);
    }
    const selectors = ids === "" ? [] : ids.split(" ").map((id) => `.ProseMirror .comment-anchor[data-thread-id="${id}"]`);
    el.textContent = selectors.length === 0 ? "" : `${selectors.join(",\n")} { ${OPEN} }`;
  }, [ids]);
  useEffect(
    () => () => {
      document.getElementById(STYLE_ID)?.remove();
    },
    [],
  );
}

const OPEN = "background: var(--anchor-bg); border-bottom: 2px solid var(--anchor-line);";
