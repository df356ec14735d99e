/**
 * The Authors view's colours as ProseMirror decorations, from the server's answer
 * (GET /authorship): its blocks are the document's text blocks in order, each with runs
 * per author. A block is coloured only where its text is exactly what this editor shows
 * (an edit in flight makes it differ for a moment; the view asks again after edits), so
 * a colour never lands on the wrong words.
 */
import type { Node as PMNode } from "@tiptap/pm/model";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type { Author, AuthorshipAnswer } from "../../../shared/authorship";

/** The server's text blocks (worker/content/authorship.ts TEXTBLOCKS). */
const TEXTBLOCKS = new Set(["paragraph", "heading", "codeBlock"]);

/** A text block's text as the server reads it, and each character's position. */
function blockText(block: PMNode, start: number): { text: string; pos: number[] } {
  let text = "";
  const pos: number[] = [];
  block.forEach((child, offset) => {
    const at = start + 1 + offset;
    const piece = child.isText
      ? (child.text ?? "")
      : child.type.name === "hardBreak"
        ? "\n"
        : child.type.name === "image"
          ? String(child.attrs.alt ?? "")
          : "";
    for (let i = 0; i < piece.length; i++) pos.push(child.isText ? at + i : at);
    text += piece;
  });
  return { text, pos };
}

export interface AuthorStyle {
  color: string;
  title: string;
  ai: boolean;
}

export function authorDecorations(doc: PMNode, answer: AuthorshipAnswer, styleOf: (a: Author) => AuthorStyle): DecorationSet {
  const byId = new Map(answer.authors.map((a) => [a.id, a]));
  const decorations: Decoration[] = [];
  let index = 0;
  doc.descendants((node, start) => {
    if (!TEXTBLOCKS.has(node.type.name)) return true;
    const block = answer.blocks[index++];
    if (!block) return false;
    const { text, pos } = blockText(node, start);
    if (text !== block.text) return false;
    let offset = 0;
    for (const run of block.runs) {
      const author = byId.get(run.author);
      const from = pos[offset];
      const last = pos[offset + run.text.length - 1];
      offset += run.text.length;
      if (!author || from === undefined || last === undefined) continue;
      const style = styleOf(author);
      decorations.push(
        Decoration.inline(from, last + 1, {
          class: style.ai ? "author-run author-ai" : "author-run",
          style: `--author-color: ${style.color}`,
          title: style.title,
          "data-author": author.id,
        }),
      );
    }
    return false;
  });
  return DecorationSet.create(doc, decorations);
}
