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
import { blocks, type DocxImage, type WalkContext } from "./docx-blocks";
import { type DocumentOptions, packInPieces } from "./docx-pack";
import { nextTurn } from "./markdown";

export type { DocxImage } from "./docx-blocks";

export interface DocxOptions {
  title: string;
  images: Map<string, DocxImage>;
  /** The site's origin, for site-relative links and images. */
  origin: string;
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
 * each piece is turned into paragraphs and tables, then written, with `pause` between
 * pieces. */
export async function buildDocxInPieces(pieces: JSONContent[][], opts: DocxOptions, pause = nextTurn): Promise<Uint8Array> {
  const ctx: WalkContext = { images: opts.images, origin: opts.origin, numbering: [] };
  const walked: ReturnType<typeof blocks>[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await pause();
    walked.push(blocks(piece, ctx, { quote: 0, list: 0 }));
  }
  // Word needs at least one paragraph in a section.
  if (walked.every((w) => w.length === 0)) walked.push(blocks([{ type: "paragraph" }], ctx, { quote: 0, list: 0 }));
  return packInPieces(documentOptions(opts.title, ctx.numbering), walked, pause);
}

export function documentOptions(title: string, numbering: NumberingDefinition[]): DocumentOptions {
  return {
    creator: "Quire",
    title,
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
