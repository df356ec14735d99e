/**
 * GET /export?format=md|html|txt|json|docx for any link's holder. It lives with the
 * files because the two formats that carry images need them: DOCX embeds the
 * uploaded bytes, Markdown and HTML key their addresses. The content is read
 * once through the tolerant reader (export.ts → shared/content.ts). In Markdown and
 * HTML, the addresses of this document's uploaded files become absolute and carry the
 * requester's file key, so a downloaded page shows its images for as long as the
 * requester's link works; JSON keeps the stored addresses. DOCX embeds the uploaded
 * images themselves (PNG, JPEG, GIF; up to MAX_DOCX_IMAGE_BYTES in all).
 *
 * Every format is read and written a piece at a time with a pause between pieces
 * (content/export.ts readPieces), so a large document's export does not hold other
 * documents' edits.
 */
import type { AiDisclosure } from "../content/ai-disclosure";
import type { JSONContent } from "@tiptap/core";
import type * as Y from "yjs";
import { DOCX_CONTENT_TYPE, isDownloadFormat } from "../../shared/api";
import { contentDisposition, safeFilename } from "../../shared/filename";
import { FILE_KEY_PARAM, fileUrl, parseFileUrl } from "../../shared/files";
import { MAX_DOCX_IMAGE_BYTES } from "../../shared/limits";
import type { Role } from "../../shared/protocol";
import { exportStream, readPieces } from "../content/export-pieces";
import type { FileAccess } from "./access";
import { sniffImage } from "./sniff";
import type { FileStore } from "./store";
import { ORIGIN_HEADER, jsonError, text } from "../lib/http";
import { errorMessage, log } from "../lib/log";
import { buildDocxInPieces, imageSources, type DocxImage } from "../content/docx";

/** When the Worker did not say (a direct call in tests): addresses stay recognisable. */
const FALLBACK_ORIGIN = "https://quire.invalid";

export interface ExportDeps {
  docId(): string;
  doc(): Y.Doc;
  title(): string;
  authorize(request: Request): Promise<Role | Response>;
  /** AI-written text in the document, which HTML and Word exports disclose. */
  aiText(): AiDisclosure | null;
  store: FileStore;
  access: FileAccess;
}

const DOCX_TYPES: Record<string, DocxImage["type"] | undefined> = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif" };

export async function exportRoute(request: Request, url: URL, deps: ExportDeps): Promise<Response> {
  const role = await deps.authorize(request);
  if (role instanceof Response) return role;
  const format = url.searchParams.get("format") ?? "md";
  if (!isDownloadFormat(format)) return jsonError(400, "bad-format", "format must be md, html, txt, json or docx");
  const origin = request.headers.get(ORIGIN_HEADER) ?? FALLBACK_ORIGIN;
  // ?suggestions=include keeps suggested insertions; by default the text is as accepted.
  const pieces = readPieces(deps.doc(), url.searchParams.get("suggestions") === "include" ? "include" : "accepted");
  const title = deps.title();
  if (format === "json" || format === "txt") {
    const { body, contentType } = exportStream(pieces, format, title, undefined, deps.docId());
    return text(body, contentType);
  }
  const key = await deps.access.keyForRequest(request);
  if (format !== "docx") {
    const { body, contentType } = exportStream(
      pieces,
      format,
      title,
      (blocks) => withFileKeys({ type: "doc", content: blocks }, deps.docId(), origin, key).content ?? [],
      deps.docId(),
      format === "html" ? deps.aiText() : null,
    );
    return text(body, contentType);
  }
  try {
    const started = Date.now();
    const read: JSONContent[][] = [];
    const sources = new Set<string>();
    for await (const piece of pieces) {
      read.push(piece);
      for (const src of imageSources({ type: "doc", content: piece })) sources.add(src);
    }
    const images = await embeddable(sources, deps, origin);
    // Embedded images keep their stored src (the key of `images`); the others become
    // keyed links.
    const bytes = await buildDocxInPieces(
      read,
      { title, origin, images, ai: deps.aiText() },
      undefined,
      (blocks) => withFileKeys({ type: "doc", content: blocks }, deps.docId(), origin, key, images).content ?? [],
    );
    log("info", "docx-export", {
      doc: deps.docId(),
      bytes: bytes.byteLength,
      images: images.size,
      pieces: read.length,
      ms: Date.now() - started,
    });
    return new Response(bytes, {
      headers: {
        "content-type": DOCX_CONTENT_TYPE,
        "content-disposition": contentDisposition("attachment", safeFilename(title, "docx")),
        "content-length": String(bytes.byteLength),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (err) {
    log("error", "docx-export-failed", { doc: deps.docId(), error: errorMessage(err) });
    return jsonError(500, "export-failed", "The Word file could not be built; try another format");
  }
}

/** This document's own file address for `src`, keyed for the requester, or null. */
function keyedUrl(src: string, docId: string, origin: string, key: string | null): string | null {
  const ref = parseFileUrl(src, origin);
  if (!ref || ref.docId !== docId || key === null) return null;
  return `${origin}${fileUrl(docId, ref.fileId)}?${FILE_KEY_PARAM}=${encodeURIComponent(key)}`;
}

/** Rewrites image sources and link targets that are this document's files (in place:
 * the JSON was made for this request). Iterative, so any nesting is fine. */
function withFileKeys(json: JSONContent, docId: string, origin: string, key: string | null, skip?: Map<string, DocxImage>): JSONContent {
  const stack: JSONContent[] = [json];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const src = node.attrs?.src;
    if (node.type === "image" && typeof src === "string" && !skip?.has(src)) {
      const keyed = keyedUrl(src, docId, origin, key);
      if (keyed) node.attrs = { ...node.attrs, src: keyed };
    }
    for (const mark of node.marks ?? []) {
      if (mark.type !== "link" || typeof mark.attrs?.href !== "string") continue;
      const keyed = keyedUrl(mark.attrs.href, docId, origin, key);
      if (keyed) mark.attrs = { ...mark.attrs, href: keyed };
    }
    for (const child of node.content ?? []) stack.push(child);
  }
  return json;
}

/** The bytes of this document's uploaded images that a DOCX can hold, by src. */
async function embeddable(sources: Iterable<string>, deps: ExportDeps, origin: string): Promise<Map<string, DocxImage>> {
  const out = new Map<string, DocxImage>();
  let budget = MAX_DOCX_IMAGE_BYTES;
  for (const src of sources) {
    const ref = parseFileUrl(src, origin);
    if (!ref || ref.docId !== deps.docId()) continue;
    const obj = await deps.store.get(ref.fileId);
    if (!obj || !("body" in obj)) continue;
    const type = DOCX_TYPES[obj.httpMetadata?.contentType ?? ""];
    if (!type || obj.size > budget) {
      await obj.body.cancel();
      continue;
    }
    const data = new Uint8Array(await obj.arrayBuffer());
    const sniffed = sniffImage(data);
    if (!sniffed?.width || !sniffed.height) continue;
    budget -= data.byteLength;
    out.set(src, { data, type, width: sniffed.width, height: sniffed.height });
  }
  return out;
}
