import type { Node } from "@tiptap/pm/model";

export interface FindOptions {
  caseSensitive: boolean;
  wholeWord: boolean;
}

export interface Match {
  from: number;
  to: number;
}

/** Inline nodes that are not text (images, hard breaks) take one position: one
 * placeholder character keeps string offsets and document positions in step. */
const LEAF = "\ufffc";

function pattern(query: string, { caseSensitive, wholeWord }: FindOptions): RegExp {
  const escaped = query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const body = wholeWord ? `(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])` : escaped;
  return new RegExp(body, caseSensitive ? "gu" : "giu");
}

/** Every occurrence of `query` in the document's text, in document order. A match never
 * spans two blocks (as in any word processor's find). */
export function findMatches(doc: Node, query: string, options: FindOptions): Match[] {
  if (query === "") return [];
  const re = pattern(query, options);
  const out: Match[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    let text = "";
    node.forEach((child) => {
      text += child.isText ? (child.text ?? "") : LEAF.repeat(child.nodeSize);
    });
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex += 1;
        continue;
      }
      out.push({ from: pos + 1 + m.index, to: pos + 1 + m.index + m[0].length });
    }
    return false;
  });
  return out;
}
