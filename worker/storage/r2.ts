/**
 * A document's objects in the R2 bucket SNAPSHOTS — enough to rebuild the document
 * with nothing else:
 *
 *   docs/<id>/meta.json                      created_at, title, token *hashes* (never tokens), the
 *                                            share links sealed under the owner's key
 *   docs/<id>/snapshot-<seq>-<version>.bin   full state (Yjs V2, gzip) as of update <seq>;
 *                                            one per version, described by custom metadata
 *   docs/<id>/threads.json.gz                the comment threads (their JSON is the comments
 *                                            layer's, see ThreadsCopy), rewritten with the
 *                                            snapshots when they changed
 *
 * Keys sort by seq (zero-padded), so the newest state is the last key of the listing.
 */
import * as z from "zod/mini";
import { VERSION_KINDS } from "../../shared/versions";
import { MAX_COMMENT_BYTES_PER_DOCUMENT } from "../../shared/limits";
import { gunzip, gzip, isCodec, type Codec } from "./codec";
import { parseAuthors, type VersionRow } from "./version-index";

const SEQ_DIGITS = 15;

const docMetaSchema = z.object({
  format: z.literal(1),
  createdAt: z.number(),
  title: z.string(),
  tokenHashes: z.object({
    owner: z.optional(z.string()),
    edit: z.optional(z.string()),
    comment: z.optional(z.string()),
    view: z.optional(z.string()),
  }),
  /** access/sealed-links.ts: only an owner-token holder can open them. */
  sealedLinks: z.optional(z.object({ edit: z.optional(z.string()), comment: z.optional(z.string()), view: z.optional(z.string()) })),
});
export type DocMetaObject = z.infer<typeof docMetaSchema>;

/** Identifies the token hashes a meta.json holds (compared to know when to rewrite it). */
export function hashesFingerprint(meta: Pick<DocMetaObject, "tokenHashes">): string {
  const h = meta.tokenHashes;
  // The comment link came later: documents without one keep their old fingerprint.
  const comment = h.comment === undefined ? "" : `:c=${h.comment}`;
  return `${h.owner ?? ""}:${h.edit ?? ""}:${h.view ?? ""}${comment}`;
}

/** Things beside the document that R2 keeps a copy of with its snapshots, so a
 * document rebuilt from R2 has them: the comment threads. The layer that owns them
 * (worker/comments/backup.ts) is above storage, so it is passed in as this. */
export interface ThreadsCopy {
  /** Their JSON when they changed since R2's copy was written, else null. */
  pending(): { seq: number; json: string } | null;
  /** R2 now holds the copy numbered `seq`. */
  written(seq: number): void;
  /** A document rebuilt from R2: put them back. Runs inside the recovery's
   * transaction; refuses (writes nothing) what does not parse. */
  install(json: string): void;
}

/** The JSON of the threads copy is bounded by the comments' byte total; escaping and
 * field names at most double it. More is not a copy Quire wrote. */
const MAX_THREADS_JSON_BYTES = 4 * MAX_COMMENT_BYTES_PER_DOCUMENT;

/** R2 custom metadata is string to string; parse it back strictly. */
const snapshotMetadataSchema = z.object({
  id: z.string(),
  createdAt: z.coerce.number(),
  seq: z.coerce.number(),
  kind: z.enum(VERSION_KINDS),
  name: z.optional(z.string()),
  bytes: z.coerce.number(),
  authors: z.optional(z.string()),
  codec: z.string().check(z.refine(isCodec)),
  /** The document's epoch when the snapshot was made (storage/epoch.ts); absent: 0. */
  epoch: z.optional(z.coerce.number().check(z.nonnegative(), z.refine(Number.isSafeInteger))),
});

export class SnapshotBucket {
  private readonly prefix: string;

  constructor(
    private readonly bucket: R2Bucket,
    docId: string,
  ) {
    this.prefix = `docs/${docId}/`;
  }

  snapshotKey(seq: number, versionId: string): string {
    return `${this.prefix}snapshot-${String(seq).padStart(SEQ_DIGITS, "0")}-${versionId}.bin`;
  }

  async putMeta(meta: DocMetaObject): Promise<void> {
    await this.bucket.put(`${this.prefix}meta.json`, JSON.stringify(meta), {
      httpMetadata: { contentType: "application/json" },
    });
  }

  async getMeta(): Promise<DocMetaObject | null> {
    const obj = await this.bucket.get(`${this.prefix}meta.json`);
    if (!obj) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(await obj.text()) as unknown;
    } catch {
      throw new Error("R2 meta.json is not JSON");
    }
    const parsed = docMetaSchema.safeParse(raw);
    if (!parsed.success) throw new Error("R2 meta.json has an unexpected shape");
    return parsed.data;
  }

  async putThreads(json: string): Promise<void> {
    await this.bucket.put(`${this.prefix}threads.json.gz`, await gzip(new TextEncoder().encode(json)), {
      httpMetadata: { contentType: "application/json", contentEncoding: "gzip" },
    });
  }

  /** The threads copy's JSON, or null when there is none. */
  async getThreads(): Promise<string | null> {
    const obj = await this.bucket.get(`${this.prefix}threads.json.gz`);
    if (!obj) return null;
    return new TextDecoder().decode(await gunzip(new Uint8Array(await obj.arrayBuffer()), MAX_THREADS_JSON_BYTES));
  }

  async putSnapshot(v: VersionRow, stored: Uint8Array, codec: Codec, epoch = 0): Promise<void> {
    const meta: Record<string, string> = {
      id: v.id,
      createdAt: String(v.createdAt),
      seq: String(v.seq),
      kind: v.kind,
      bytes: String(v.bytes),
      codec,
    };
    if (epoch > 0) meta.epoch = String(epoch);
    if (v.name !== null) meta.name = v.name;
    if (v.authors.length > 0) meta.authors = JSON.stringify(v.authors);
    await this.bucket.put(v.r2Key, stored, {
      httpMetadata: { contentType: "application/octet-stream" },
      customMetadata: meta,
    });
  }

  async getSnapshot(key: string): Promise<{ stored: Uint8Array; codec: Codec } | null> {
    const obj = await this.bucket.get(key);
    if (!obj) return null;
    const codec = obj.customMetadata?.codec;
    if (!isCodec(codec)) throw new Error(`R2 object ${key} has no known codec`);
    return { stored: new Uint8Array(await obj.arrayBuffer()), codec };
  }

  /** Every snapshot object of the document, oldest seq first, as index rows. Objects
   * whose metadata does not parse are skipped (and counted) rather than trusted.
   * `epochs`: each row's epoch, by version id. */
  async listSnapshots(): Promise<{ rows: VersionRow[]; skipped: number; epochs: Map<string, number> }> {
    const rows: VersionRow[] = [];
    const epochs = new Map<string, number>();
    let skipped = 0;
    let cursor: string | undefined;
    do {
      const page = await this.bucket.list({
        prefix: `${this.prefix}snapshot-`,
        include: ["customMetadata"],
        ...(cursor ? { cursor } : {}),
      });
      for (const obj of page.objects) {
        const parsed = snapshotMetadataSchema.safeParse(obj.customMetadata ?? {});
        if (!parsed.success) {
          skipped += 1;
          continue;
        }
        const m = parsed.data;
        epochs.set(m.id, m.epoch ?? 0);
        rows.push({
          id: m.id,
          createdAt: m.createdAt,
          seq: m.seq,
          kind: m.kind,
          name: m.name ?? null,
          bytes: m.bytes,
          storedBytes: obj.size,
          authors: parseAuthors(m.authors),
          r2Key: obj.key,
        });
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return { rows, skipped, epochs };
  }

  async delete(keys: string[]): Promise<void> {
    // R2 deletes at most 1,000 keys per call.
    for (let i = 0; i < keys.length; i += 1000) await this.bucket.delete(keys.slice(i, i + 1000));
  }
}
