/**
 * POST /files: the raw bytes of one image, with their Content-Type, from an owner or
 * editor. The body is read in chunks and dropped (413) the moment it passes
 * MAX_FILE_BYTES, so no more than the cap is ever held; then the magic bytes decide
 * whether it is a PNG, JPEG, GIF or WebP (415 otherwise, SVG included), the
 * document's quota is checked, and the file goes to R2 under a fresh random id.
 */
import { FILE_ID_BYTES, fileUrl, isImageType, type UploadFileResponse } from "../../shared/files";
import { randomId } from "../../shared/ids";
import {
  MAX_CONCURRENT_UPLOADS_PER_DOCUMENT,
  MAX_FILE_BYTES,
  MAX_FILE_BYTES_PER_DOCUMENT,
  MAX_FILES_PER_DOCUMENT,
} from "../../shared/limits";
import { canWrite, type Role } from "../../shared/protocol";
import { readBytes } from "../lib/body";
import { json, jsonError } from "../lib/http";
import { errorMessage, log } from "../lib/log";
import { sniffImage } from "./sniff";
import type { FileStore } from "./store";

export interface UploadDeps {
  store: FileStore;
  docId(): string;
  authorize(request: Request): Promise<Role | Response>;
  now(): number;
}

const MIB = 1024 * 1024;

const tooLarge = () => jsonError(413, "file-too-large", `Files may be at most ${MAX_FILE_BYTES / MIB} MiB`);
const unsupported = () => jsonError(415, "unsupported-type", "Only PNG, JPEG, GIF and WebP images can be uploaded");

export class Uploads {
  private inFlight = 0;

  constructor(private readonly deps: UploadDeps) {}

  async handle(request: Request): Promise<Response> {
    const uploadedAt = this.deps.now();
    const role = await this.deps.authorize(request);
    if (role instanceof Response) return discard(request, role);
    if (!canWrite(role)) return discard(request, jsonError(403, "read-only", "A view link cannot upload files"));
    const declared = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    // The header alone proves nothing (the bytes are checked below), but one that
    // names something else is refused before a byte is read.
    if (!isImageType(declared)) return discard(request, unsupported());
    const length = Number(request.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(length) && length > MAX_FILE_BYTES) return discard(request, tooLarge());
    if (this.inFlight >= MAX_CONCURRENT_UPLOADS_PER_DOCUMENT) {
      return discard(request, jsonError(429, "too-many-uploads", "Too many uploads at once in this document; try again in a moment"));
    }
    this.inFlight += 1;
    try {
      return await this.store(request, uploadedAt);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async store(request: Request, uploadedAt: number): Promise<Response> {
    const read = await readBytes(request, MAX_FILE_BYTES, tooLarge());
    if (!read.ok) return read.response;
    const body = read.value;
    if (body.byteLength === 0) return jsonError(400, "empty", "The request body is empty");
    const sniffed = sniffImage(body);
    if (!sniffed) return unsupported();
    const existing = await this.deps.store.list();
    if (existing.length >= MAX_FILES_PER_DOCUMENT) {
      return jsonError(413, "files-full", `A document can hold at most ${MAX_FILES_PER_DOCUMENT} files; remove unused images first`);
    }
    const used = existing.reduce((sum, f) => sum + f.bytes, 0);
    if (used + body.byteLength > MAX_FILE_BYTES_PER_DOCUMENT) {
      return jsonError(413, "files-full", `A document's files may total at most ${MAX_FILE_BYTES_PER_DOCUMENT / MIB} MiB`);
    }
    const id = randomId(FILE_ID_BYTES);
    try {
      await this.deps.store.put(id, body, sniffed, uploadedAt);
    } catch (err) {
      log("error", "file-put-failed", { doc: this.deps.docId(), error: errorMessage(err) });
      return jsonError(503, "storage-unavailable", "The file could not be stored; try again");
    }
    log("info", "file-uploaded", { doc: this.deps.docId(), file: id, bytes: body.byteLength, type: sniffed.type });
    const out: UploadFileResponse = {
      id,
      url: fileUrl(this.deps.docId(), id),
      ...(sniffed.width && sniffed.height ? { width: sniffed.width, height: sniffed.height } : {}),
      bytes: body.byteLength,
    };
    return json(out, 201);
  }
}

/** Answers without reading the body: cancelling it tells the sender to stop. */
function discard(request: Request, response: Response): Response {
  request.body?.cancel().catch(() => {});
  return response;
}
