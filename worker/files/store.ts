/**
 * A document's uploaded files in the R2 bucket SNAPSHOTS, beside its snapshots:
 *
 *   docs/<doc>/files/<file>   the bytes; httpMetadata.contentType is the sniffed type,
 *                             customMetadata { uploadedAt, width?, height? }
 *
 * Everything under docs/<doc>/ goes when the document is deleted (lifecycle.ts sweeps
 * the prefix), files included. R2 is the only record of which files exist: nothing in
 * SQLite has to agree with it, and a document recovered from R2 keeps its files.
 */
import { MAX_FILES_PER_DOCUMENT } from "../../shared/limits";
import type { Sniffed } from "./sniff";

export interface StoredFile {
  id: string;
  bytes: number;
  /** When the upload began (the Durable Object's clock). */
  uploadedAt: number;
}

export class FileStore {
  readonly prefix: string;

  constructor(
    private readonly bucket: R2Bucket,
    docId: string,
  ) {
    this.prefix = `docs/${docId}/files/`;
  }

  key(fileId: string): string {
    return `${this.prefix}${fileId}`;
  }

  async put(fileId: string, body: Uint8Array, sniffed: Sniffed, uploadedAt: number): Promise<void> {
    const meta: Record<string, string> = { uploadedAt: String(uploadedAt) };
    if (sniffed.width && sniffed.height) {
      meta.width = String(sniffed.width);
      meta.height = String(sniffed.height);
    }
    await this.bucket.put(this.key(fileId), body, {
      httpMetadata: { contentType: sniffed.type },
      customMetadata: meta,
    });
  }

  /** The object (with its body unless `onlyIf` says the client's copy is current). */
  get(fileId: string, onlyIf?: Headers): Promise<R2ObjectBody | R2Object | null> {
    return this.bucket.get(this.key(fileId), onlyIf ? { onlyIf } : undefined);
  }

  /** Every file of the document. A document holds at most MAX_FILES_PER_DOCUMENT, one
   * list page; more pages are still read (uploads racing the quota check). */
  async list(): Promise<StoredFile[]> {
    const out: StoredFile[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.bucket.list({
        prefix: this.prefix,
        limit: MAX_FILES_PER_DOCUMENT,
        include: ["customMetadata"],
        ...(cursor ? { cursor } : {}),
      });
      for (const obj of page.objects) {
        const at = Number(obj.customMetadata?.uploadedAt);
        out.push({ id: obj.key.slice(this.prefix.length), bytes: obj.size, uploadedAt: Number.isFinite(at) ? at : obj.uploaded.getTime() });
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return out;
  }

  async delete(fileIds: string[]): Promise<void> {
    // R2 deletes at most 1,000 keys per call.
    for (let i = 0; i < fileIds.length; i += 1000) await this.bucket.delete(fileIds.slice(i, i + 1000).map((id) => this.key(id)));
  }
}
