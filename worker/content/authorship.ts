/**
 * Who wrote each run of the document's text, read off the Y.Doc's items: every Yjs
 * item carries the client id that created it, and the server's records name the author
 * of each client id (room/authors.ts). Formatting changes (bold, a suggestion mark)
 * create format items but leave the text items, so authorship follows the words, not
 * the last person to style them.
 *
 * Blocks are the plain-text export's: one per paragraph, heading or code block, a
 * list item's or table cell's paragraph included, in document order.
 */
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import type { AuthorshipAnswer, AuthorshipBlock } from "../../shared/authorship";

/** Nodes whose children are inline content (text, hard breaks, images). */
export const TEXTBLOCKS: ReadonlySet<string> = new Set(["paragraph", "heading", "codeBlock"]);

/** One stretch of a text block: `text` written by `client`. */
export interface Piece {
  text: string;
  client: number;
}

/** Inline text of a Y text item (strings; embeds and formats hold none). */
function itemText(item: Y.Item): string {
  return item.content instanceof Y.ContentString ? item.content.str : "";
}

/** The pieces of one text block, as it stands (deleted items skipped). */
export function blockPieces(block: Y.XmlElement): Piece[] {
  const out: Piece[] = [];
  for (const child of block.toArray()) {
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item !== null; item = item.right) {
        if (item.deleted) continue;
        const text = itemText(item);
        if (text) out.push({ text, client: item.id.client });
      }
    } else if (child instanceof Y.XmlElement && child._item) {
      // A hard break is a line; an image counts as its alt text, as the export has it.
      const text = child.nodeName === "hardBreak" ? "\n" : child.nodeName === "image" ? String(child.getAttribute("alt") ?? "") : "";
      if (text) out.push({ text, client: child._item.id.client });
    }
  }
  return out;
}

/** Every text block under `parent`, in document order. Iterative: stored content may
 * nest deeper than any editor writes (a hostile client's), and this must not overflow. */
export function textBlocks(parent: Y.XmlFragment | Y.XmlElement, visit: (block: Y.XmlElement) => void): void {
  const stack: Y.XmlElement[] = [];
  const push = (p: Y.XmlFragment | Y.XmlElement) => {
    const children = p.toArray();
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c instanceof Y.XmlElement) stack.push(c);
    }
  };
  push(parent);
  for (let el = stack.pop(); el !== undefined; el = stack.pop()) {
    if (TEXTBLOCKS.has(el.nodeName)) visit(el);
    else push(el);
  }
}

/** `GET /authorship`'s answer: the document's blocks with runs per author. */
export function authorship(doc: Y.Doc, authorOf: (client: number) => string, authorsOf: AuthorsOf): AuthorshipAnswer {
  const blocks: AuthorshipBlock[] = [];
  const used: string[] = [];
  const clients = new Map<string, Set<number>>();
  textBlocks(doc.getXmlFragment(YDOC_CONTENT_FIELD), (el) => {
    const block: AuthorshipBlock = { text: "", runs: [] };
    for (const p of blockPieces(el)) {
      const author = authorOf(p.client);
      const of = clients.get(author) ?? new Set<number>();
      of.add(p.client);
      clients.set(author, of);
      const last = block.runs.at(-1);
      if (last && last.author === author) last.text += p.text;
      else {
        block.runs.push({ text: p.text, author });
        used.push(author);
      }
      block.text += p.text;
    }
    blocks.push(block);
  });
  return { authors: authorsOf(used).map((a) => ({ ...a, clients: [...(clients.get(a.id) ?? [])] })), blocks };
}

type AuthorsOf = (ids: Iterable<string>) => AuthorshipAnswer["authors"];
