/**
 * Exports of large documents, a piece at a time: the document is read and written
 * EXPORT_PIECE_CHARS of content (whole top-level blocks) at a time, with a pause between
 * pieces, as the Markdown import is, because every document of the isolate waits while
 * one serializer runs (a 16 MB DOCX export held everyone's edits for ~675 ms). Pieces are
 * joined as the serializer joins top-level blocks, so the output is the same as in one go
 * (export.unit.test.ts checks it). Edits that arrive during the pauses may be in the later
 * pieces. The text formats are streamed; DOCX is written by docx.ts / docx-pack.ts.
 */
import type { JSONContent } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { renderToHTMLString } from "@tiptap/static-renderer/pm/html-string";
import type * as Y from "yjs";
import { YDOC_CONTENT_FIELD, type ExportFormat } from "../../shared/api";
import { readFragment } from "../../shared/content";
import { EXPORT_PIECE_CHARS } from "../../shared/limits";
import { type NodeRecord, readRecord, SUGGEST_BREAK, SUGGEST_NODE } from "../../shared/schema-suggestion";
import { markdownWriter } from "../../shared/markdown";
import { editorSchema, schemaExtensions } from "../../shared/schema";
import { errorMessage, log } from "../lib/log";
import type { AiDisclosure } from "./ai-disclosure";
import { docToJson, escapeHtml, exportReader, HTML_TAIL, htmlHead, jsonToText, type SuggestionView, viewedJson } from "./export";
import { nextTurn } from "./markdown";

const suggestedInsert = (node: ProseMirrorNode): boolean => readRecord<NodeRecord>(node.attrs[SUGGEST_NODE])?.op === "insert";

const hasSuggestedBreak = (child: unknown): boolean =>
  typeof (child as Y.XmlElement).getAttribute === "function" && (child as Y.XmlElement).getAttribute(SUGGEST_BREAK) != null;

/** About how much content a piece of blocks holds (its text, plus a little per node). */
function pieceChars(read: ProseMirrorNode): number {
  let n = 0;
  read.descendants((node) => {
    n += 16 + (node.text?.length ?? 0);
  });
  return n;
}

/**
 * The document's top-level blocks as exports see them (docToJson), a piece of about
 * `maxChars` at a time, with `pause` before each piece after the first. Each piece is
 * read and normalized on its own, so one piece's work is bounded by its size.
 */
export async function* readPieces(
  doc: Y.Doc,
  view: SuggestionView = "accepted",
  pause: () => Promise<void> = nextTurn,
  maxChars = EXPORT_PIECE_CHARS,
): AsyncGenerator<JSONContent[]> {
  const children = doc.getXmlFragment(YDOC_CONTENT_FIELD).toArray();
  if (children.length === 0) {
    yield docToJson(doc, view).content ?? [];
    return;
  }
  // Blocks are read one top-level element at a time and viewed a piece at a time, so a
  // pending split or join between two blocks of a piece is resolved as in one go.
  let piece: ProseMirrorNode[] = [];
  let size = 0;
  let handedOut = false;
  const viewed = (nodes: ProseMirrorNode[]) =>
    // Blocks that are all suggested insertions are nothing as accepted (a document of
    // them alone would be filled with an empty paragraph).
    view === "accepted" && nodes.every(suggestedInsert)
      ? []
      : (viewedJson(editorSchema().topNodeType.create(null, nodes), view).content ?? []);
  for (const child of children) {
    // A piece never starts at a block whose boundary before it is a pending suggestion:
    // the accepted view may join it to the block before.
    if (size >= maxChars && !hasSuggestedBreak(child)) {
      const blocks = viewed(piece);
      piece = [];
      size = 0;
      // A piece of suggested insertions only is empty as accepted: nothing to write.
      if (blocks.length > 0) {
        yield blocks;
        handedOut = true;
      }
    }
    // Once a piece was handed out (and written by the caller), others get their turn.
    if (handedOut) {
      await pause();
      handedOut = false;
    }
    // One top-level element, read as a document of its own (readFragment only lists).
    const raw = readFragment({ toArray: () => [child] } as unknown as Y.XmlFragment);
    const read = exportReader().doc(raw);
    read.forEach((block) => {
      piece.push(block);
    });
    size += pieceChars(read);
  }
  const last = piece.length > 0 ? viewed(piece) : [];
  if (last.length > 0) yield last;
}

/** The same, a piece at a time (readPieces), with a pause between pieces; `map` may
 * rewrite each piece's blocks (file addresses, export-route.ts). */
export async function exportInPieces(
  pieces: AsyncIterable<JSONContent[]>,
  format: ExportFormat,
  title: string,
  map: (blocks: JSONContent[]) => JSONContent[] = (b) => b,
): Promise<{ body: string; contentType: string }> {
  let body = "";
  for await (const part of exportParts(pieces, format, title, map, null)) body += part;
  return { body, contentType: CONTENT_TYPES[format] };
}

/** The same as a response body that is written as it is read: a piece is read and
 * written only when the reader wants more, and the whole export never sits in memory
 * as one string. */
export function exportStream(
  pieces: AsyncIterable<JSONContent[]>,
  format: ExportFormat,
  title: string,
  map: (blocks: JSONContent[]) => JSONContent[] = (b) => b,
  docId = "",
  ai: AiDisclosure | null = null,
): { body: ReadableStream<Uint8Array>; contentType: string } {
  const parts = exportParts(pieces, format, title, map, ai);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await parts.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        log("error", "export-failed", { doc: docId, format, error: errorMessage(err) });
        controller.error(err);
      }
    },
    async cancel() {
      await parts.return(undefined);
    },
  });
  return { body, contentType: CONTENT_TYPES[format] };
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: "application/json; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  html: "text/html; charset=utf-8",
};

/** The export's text in parts, as the serializer writes a whole document: JSON's blocks
 * joined by commas, Markdown's and text's top-level blocks by a blank line, HTML's
 * back to back inside the page. */
async function* exportParts(
  pieces: AsyncIterable<JSONContent[]>,
  format: ExportFormat,
  title: string,
  map: (blocks: JSONContent[]) => JSONContent[],
  ai: AiDisclosure | null,
): AsyncGenerator<string> {
  yield format === "json" ? '{"type":"doc","content":[' : format === "html" ? htmlHead(title, ai) : "";
  const separator = format === "json" ? "," : format === "html" ? "" : "\n\n";
  let first = true;
  for await (const piece of pieces) {
    const blocks = map(piece);
    if (blocks.length === 0) continue;
    yield (first ? "" : separator) + renderPiece(blocks, format);
    first = false;
  }
  yield format === "json" ? "]}" : format === "txt" ? "\n" : format === "html" ? HTML_TAIL : "";
}

/** One piece's blocks in `format`, to be joined as exportInPieces does. A serializer bug
 * costs the piece its formatting, not the reader their document. */
function renderPiece(blocks: JSONContent[], format: ExportFormat): string {
  try {
    switch (format) {
      case "json":
        return blocks.map((b) => JSON.stringify(b)).join(",");
      case "md":
        return markdownWriter().serialize({ type: "doc", content: blocks });
      case "txt":
        return blocks.map(jsonToText).join("\n\n");
      case "html":
        return renderToHTMLString({ extensions: schemaExtensions(), content: { type: "doc", content: blocks } });
    }
  } catch (err) {
    log("error", "export-fallback", { format, error: errorMessage(err) });
    const plain = blocks.map(jsonToText).join("\n\n");
    return format === "html"
      ? `<pre>${escapeHtml(plain)}</pre>`
      : format === "json"
        ? blocks.map((b) => JSON.stringify(b)).join(",")
        : plain;
  }
}
