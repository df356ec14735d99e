/**
 * A Word document (.docx) from ProseMirror JSON, with the `docx` package: the walker
 * in docx-blocks.ts makes the paragraphs and tables, this file adds the styles
 * (quote, code) and packs the zip. Images are embedded when the caller has their
 * bytes (uploaded files, within MAX_DOCX_IMAGE_BYTES); others become links.
 *
 * Cost: the content is bounded by the document limit, and building is linear in it.
 * Measured in workerd (worker/content/docx.unit.test.ts prints the figures): see the
 * docs/PROTOCOL.md's export section for a 1 MB document.
 */
import type { JSONContent } from "@tiptap/core";
import { BorderStyle, Document, Packer } from "docx";
import { blocks, type DocxImage, type WalkContext } from "./docx-blocks";

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
  const ctx: WalkContext = { images: opts.images, origin: opts.origin, numbering: [] };
  const children = blocks(json.content, ctx, { quote: 0, list: 0 });
  const doc = new Document({
    creator: "Quire",
    title: opts.title,
    numbering: { config: ctx.numbering },
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
    // Word needs at least one paragraph in a section.
    sections: [{ children: children.length > 0 ? children : blocks([{ type: "paragraph" }], ctx, { quote: 0, list: 0 }) }],
  });
  return Packer.pack(doc, "uint8array");
}
