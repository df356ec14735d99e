/**
 * ProseMirror JSON (as the tolerant reader returns it) to `docx` paragraphs and
 * tables: headings, paragraphs with bold/italic/underline/strike/code and links,
 * bullet, numbered and task lists (checkboxes keep their state), quotes, code blocks,
 * rules, tables (spans, header rows) and images. Recursion follows the content's
 * nesting, which the reader bounds (MAX_CONTENT_DEPTH).
 */
import type { JSONContent } from "@tiptap/core";
import {
  AlignmentType,
  CheckBox,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ILevelsOptions,
  type NumberingDefinition,
  type ParagraphChild,
} from "docx";
import { DOCX_MAX_IMAGE_WIDTH_PX } from "../../shared/limits";
import { safeHref } from "../../shared/links";

/** An image ready to embed, with its pixel size. */
export interface DocxImage {
  data: Uint8Array;
  type: "png" | "jpg" | "gif";
  width: number;
  height: number;
}

export interface WalkContext {
  /** Embeddable images by their src; any other image becomes a link. */
  images: Map<string, DocxImage>;
  /** Site-relative links and images are written against this origin. */
  origin: string;
  /** Numbering definitions made for ordered lists, one per list, in document order. */
  numbering: NumberingDefinition[];
  /** Ordered lists met so far (the next one is `ordered-<n+1>`); when `numbering` was
   * filled beforehand (orderedListNumbering), the walk reuses its definitions. */
  ordered?: number;
}

interface Where {
  quote: number;
  list: number;
}

type Block = Paragraph | Table;

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
];
const ORDERED_FORMATS: Record<string, (typeof LevelFormat)[keyof typeof LevelFormat]> = {
  "1": LevelFormat.DECIMAL,
  a: LevelFormat.LOWER_LETTER,
  A: LevelFormat.UPPER_LETTER,
  i: LevelFormat.LOWER_ROMAN,
  I: LevelFormat.UPPER_ROMAN,
};
/** Word lists have nine levels (0–8); deeper items stay at the last one. */
const MAX_LIST_LEVEL = 8;
const INDENT_TWIPS = 720;
const TEXT_WIDTH_TWIPS = 9360;

/** Where a link may point in a document opened outside Quire: absolute addresses
 * only (a site-relative one is made absolute), never an in-page anchor. */
export function absoluteHref(raw: unknown, origin: string): string | null {
  const href = safeHref(raw);
  if (href === null || href.startsWith("#")) return null;
  return href.startsWith("/") ? `${origin}${href}` : href;
}

function runs(nodes: JSONContent[] | undefined, ctx: WalkContext): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const node of nodes ?? []) {
    if (node.type === "hardBreak") {
      out.push(new TextRun({ break: 1 }));
      continue;
    }
    if (node.type !== "text" || !node.text) continue;
    const marks = new Map((node.marks ?? []).map((m) => [m.type, m.attrs ?? {}]));
    const link = marks.has("link") ? absoluteHref(marks.get("link")!.href, ctx.origin) : null;
    const run = new TextRun({
      text: node.text,
      // Only marks that are set: an explicit "not bold" would override the paragraph's
      // style (a heading's weight, a quote's italics).
      ...(marks.has("bold") ? { bold: true } : {}),
      ...(marks.has("italic") ? { italics: true } : {}),
      ...(marks.has("strike") ? { strike: true } : {}),
      ...(marks.has("underline") ? { underline: {} } : {}),
      ...(marks.has("code") ? { font: "Courier New", shading: { fill: "F2F2F2" } } : {}),
      ...(link ? { style: "Hyperlink" } : {}),
    });
    out.push(link ? new ExternalHyperlink({ link, children: [run] }) : run);
  }
  return out;
}

const quoted = (where: Where) => (where.quote > 0 ? { style: "Quote", indent: { left: INDENT_TWIPS * where.quote } } : {});

function image(node: JSONContent, ctx: WalkContext, where: Where): Paragraph {
  const src = typeof node.attrs?.src === "string" ? node.attrs.src : "";
  const alt = typeof node.attrs?.alt === "string" ? node.attrs.alt : "";
  const title = typeof node.attrs?.title === "string" ? node.attrs.title : "";
  const img = ctx.images.get(src);
  if (img) {
    const wanted = typeof node.attrs?.width === "number" ? node.attrs.width : img.width;
    const width = Math.max(1, Math.round(Math.min(wanted, img.width * 4, DOCX_MAX_IMAGE_WIDTH_PX)));
    const height = Math.max(1, Math.round((width * img.height) / img.width));
    return new Paragraph({
      ...quoted(where),
      children: [
        new ImageRun({
          type: img.type,
          data: img.data,
          transformation: { width, height },
          altText: { name: alt || "Image", description: alt, title },
        }),
      ],
    });
  }
  // Not embedded (remote, WebP, over the size budget): a link to where it lives.
  const href = absoluteHref(src, ctx.origin);
  const label = new TextRun({ text: `[${alt || "Image"}]`, ...(href ? { style: "Hyperlink" } : {}) });
  return new Paragraph({ ...quoted(where), children: [href ? new ExternalHyperlink({ link: href, children: [label] }) : label] });
}

function table(node: JSONContent, ctx: WalkContext): Table {
  const rows = (node.content ?? []).filter((r) => r.type === "tableRow");
  const columns = Math.max(1, ...rows.map((r) => (r.content ?? []).reduce((n, c) => n + (Number(c.attrs?.colspan) || 1), 0)));
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: Array.from({ length: columns }, () => Math.floor(TEXT_WIDTH_TWIPS / columns)),
    rows: rows.map((row) => {
      const cells = row.content ?? [];
      const header = cells.length > 0 && cells.every((c) => c.type === "tableHeader");
      return new TableRow({
        tableHeader: header,
        children: cells.map((cell) => {
          const content = blocks(cell.content, ctx, { quote: 0, list: 0 });
          const colspan = Number(cell.attrs?.colspan) || 1;
          const rowspan = Number(cell.attrs?.rowspan) || 1;
          return new TableCell({
            // Word refuses a cell without a paragraph.
            children: content.length > 0 ? content : [new Paragraph({})],
            ...(colspan > 1 ? { columnSpan: colspan } : {}),
            ...(rowspan > 1 ? { rowSpan: rowspan } : {}),
            ...(cell.type === "tableHeader" ? { shading: { fill: "F2F2F2" } } : {}),
          });
        }),
      });
    }),
  });
}

function orderedDefinition(node: JSONContent, ctx: WalkContext): string {
  ctx.ordered = (ctx.ordered ?? 0) + 1;
  const reference = `ordered-${ctx.ordered}`;
  if (ctx.numbering.length >= ctx.ordered) return reference;
  const start = Number.isInteger(node.attrs?.start) && node.attrs!.start >= 0 ? (node.attrs!.start as number) : 1;
  const format = ORDERED_FORMATS[String(node.attrs?.type ?? "1")] ?? LevelFormat.DECIMAL;
  const levels: ILevelsOptions[] = Array.from({ length: MAX_LIST_LEVEL + 1 }, (_, level) => ({
    level,
    format,
    start,
    text: `%${level + 1}.`,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: INDENT_TWIPS * (level + 1), hanging: 360 } } },
  }));
  ctx.numbering.push({ reference, levels });
  return reference;
}

function list(node: JSONContent, ctx: WalkContext, where: Where): Block[] {
  const level = Math.min(where.list, MAX_LIST_LEVEL);
  const reference = node.type === "orderedList" ? orderedDefinition(node, ctx) : null;
  const out: Block[] = [];
  for (const item of node.content ?? []) {
    const [first, ...rest] = item.content ?? [];
    const text = first && (first.type === "paragraph" || first.type === "heading") ? runs(first.content, ctx) : [];
    if (node.type === "taskList") {
      const checked = item.attrs?.checked === true;
      out.push(
        new Paragraph({ indent: { left: INDENT_TWIPS * (level + 1) }, children: [new CheckBox({ checked }), new TextRun(" "), ...text] }),
      );
    } else if (reference) {
      out.push(new Paragraph({ numbering: { reference, level }, children: text }));
    } else {
      out.push(new Paragraph({ bullet: { level }, children: text }));
    }
    const inner = { quote: where.quote, list: where.list + 1 };
    const remaining = text.length > 0 || first?.type === "paragraph" ? rest : (item.content ?? []);
    out.push(...blocks(remaining, ctx, inner));
  }
  return out;
}

/** The numbering definitions a walk of these blocks makes, without walking them: every
 * ordered list in the order the walk meets them (depth first, in document order), so
 * the document can be created before its pieces are walked (docx.ts). */
export function orderedListNumbering(nodes: JSONContent[], ctx: WalkContext): void {
  const stack = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "orderedList") orderedDefinition(node, ctx);
    const children = node.content ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

export function blocks(nodes: JSONContent[] | undefined, ctx: WalkContext, where: Where): Block[] {
  const out: Block[] = [];
  for (const node of nodes ?? []) {
    switch (node.type) {
      case "paragraph":
        out.push(
          new Paragraph({
            ...quoted(where),
            ...(where.list > 0 ? { indent: { left: INDENT_TWIPS * where.list } } : {}),
            children: runs(node.content, ctx),
          }),
        );
        break;
      case "heading": {
        const level = Math.min(6, Math.max(1, Number(node.attrs?.level) || 1));
        out.push(new Paragraph({ heading: HEADINGS[level - 1]!, children: runs(node.content, ctx) }));
        break;
      }
      case "blockquote":
        out.push(...blocks(node.content, ctx, { ...where, quote: where.quote + 1 }));
        break;
      case "bulletList":
      case "orderedList":
      case "taskList":
        out.push(...list(node, ctx, where));
        break;
      case "codeBlock": {
        const code = (node.content ?? []).map((t) => t.text ?? "").join("");
        for (const line of code.split("\n")) out.push(new Paragraph({ style: "Code", children: [new TextRun(line)] }));
        break;
      }
      case "horizontalRule":
        out.push(new Paragraph({ thematicBreak: true, children: [] }));
        break;
      case "table":
        out.push(table(node, ctx));
        break;
      case "image":
        out.push(image(node, ctx, where));
        break;
      default:
        // The reader leaves only schema nodes; anything with content keeps its text.
        if (node.content) out.push(...blocks(node.content, ctx, where));
    }
  }
  return out;
}
