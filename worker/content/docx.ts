/**
 * A Word document (.docx) from ProseMirror JSON, with the `docx` package: the walker
 * in docx-blocks.ts makes the paragraphs and tables, this file adds the styles
 * (quote, code) and packs the zip. Images are embedded when the caller has their
 * bytes (uploaded files, within MAX_DOCX_IMAGE_BYTES); others become links.
 *
 * Cost: the content is bounded by the document limit, and building is linear in it.
 * It is done a piece at a time with a pause between pieces (docx-pack.ts), so a large
 * document's export never holds the isolate for long.
 */
import type { JSONContent } from "@tiptap/core";
import { BorderStyle, type NumberingDefinition } from "docx";
import { type AiDisclosure, docxDisclosure } from "./ai-disclosure";
import { blocks, orderedListNumbering, type DocxImage, type WalkContext } from "./docx-blocks";
import { type DocumentOptions, packInPieces } from "./docx-pack";
import { nextTurn } from "./markdown";

export type { DocxImage } from "./docx-blocks";

export interface DocxOptions {
  title: string;
  images: Map<string, DocxImage>;
  /** The site's origin, for site-relative links and images. */
  origin: string;
  /** AI-written text in it, said in the file's properties. */
  ai?: AiDisclosure | null;
}

/** Every image src in the content, in document order (each once). Iterative: the
 * caller fetches these before building. */
export function imageSources(json: JSONContent): string[] {
  const seen = new Set<string>();
  const stack: JSONContent[] = [json];
  const order: string[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "image" && typeof node.attrs?.src === "string" && !seen.has(node.attrs.src)) {
      seen.add(node.attrs.src);
      order.push(node.attrs.src);
    }
    const children = node.content ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return order;
}

export async function buildDocx(json: JSONContent, opts: DocxOptions): Promise<Uint8Array> {
  return buildDocxInPieces([json.content ?? []], opts);
}

/** The same from the document's top-level blocks in pieces (export.ts readPieces):
 * each piece is rewritten by `map` (file addresses), turned into paragraphs and tables
 * and written before the next is walked, with `pause` between pieces; a piece is let go
 * once written, so the whole document is never held as docx objects at once. */
export async function buildDocxInPieces(
  pieces: JSONContent[][],
  opts: DocxOptions,
  pause: () => Promise<void> = nextTurn,
  map: (blocks: JSONContent[]) => JSONContent[] = (b) => b,
): Promise<Uint8Array> {
  // The document (with every list's numbering) is created before any piece is walked.
  const numbering: WalkContext = { images: opts.images, origin: opts.origin, numbering: [] };
  for (const piece of pieces) orderedListNumbering(piece, numbering);
  const ctx: WalkContext = { images: opts.images, origin: opts.origin, numbering: numbering.numbering };
  async function* walked() {
    let any = false;
    for (let i = 0; i < pieces.length; i++) {
      const out = blocks(map(pieces[i]!), ctx, { quote: 0, list: 0 });
      pieces[i] = []; // written once yielded: not kept
      any ||= out.length > 0;
      yield out;
    }
    // Word needs at least one paragraph in a section.
    if (!any) yield blocks([{ type: "paragraph" }], ctx, { quote: 0, list: 0 });
  }
  return packInPieces(documentOptions(opts.title, numbering.numbering, opts.ai ?? null), walked(), pause);
}

export function documentOptions(title: string, numbering: NumberingDefinition[], ai: AiDisclosure | null = null): DocumentOptions {
  return {
    creator: "Quire",
    title,
    ...(ai ? docxDisclosure(ai) : {}),
    numbering: { config: numbering },
    styles: {
      paragraphStyles: [
        {
          id: "Quote",
          name: "Quote",
          basedOn: "Normal",
          next: "Normal",
          run: { italics: true, color: "555555" },
          paragraph: { border: { left: { style: BorderStyle.SINGLE, size: 12, color: "BBBBBB", space: 8 } } },
        },
        {
          id: "Code",
          name: "Code",
          basedOn: "Normal",
          run: { font: "Courier New", size: 20 },
          paragraph: { spacing: { before: 0, after: 0 }, shading: { fill: "F2F2F2" } },
        },
      ],
    },
  };
}
