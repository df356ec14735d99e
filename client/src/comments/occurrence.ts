/**
 * Which occurrence of a quote the person selected, counted the way the server counts
 * (worker/comments/anchor.ts): within each run of text, in document order. y-prosemirror
 * stores a textblock's consecutive text nodes as one Y.XmlText and any inline node
 * (hard break, image) as its own element, so runs split at inline nodes here too.
 */
import type { Node as PMNode } from "@tiptap/pm/model";

export function occurrenceAt(doc: PMNode, pos: number, quote: string): number {
  let n = 0;
  const count = (run: string, runStart: number) => {
    for (let i = run.indexOf(quote); i >= 0; i = run.indexOf(quote, i + 1)) if (runStart + i < pos) n++;
  };
  doc.descendants((node, start) => {
    if (!node.isTextblock) return true;
    let run = "";
    let runStart = start + 1;
    node.forEach((child, offset) => {
      if (child.isText) {
        if (run === "") runStart = start + 1 + offset;
        run += child.text ?? "";
      } else {
        count(run, runStart);
        run = "";
      }
    });
    count(run, runStart);
    return false;
  });
  return n;
}
