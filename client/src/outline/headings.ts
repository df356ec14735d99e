import type { Node } from "@tiptap/pm/model";

export interface Heading {
  level: number;
  text: string;
  /** Where the heading node starts in the document. */
  pos: number;
}

/** The document's headings in order (top-level and nested, e.g. inside quotes). */
export function headingsOf(doc: Node): Heading[] {
  const out: Heading[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === "heading") {
      out.push({ level: Number(node.attrs.level) || 1, text: node.textContent, pos });
      return false;
    }
    return !node.isTextblock;
  });
  return out;
}
