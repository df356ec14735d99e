/**
 * A document's objects in the R2 bucket SNAPSHOTS — enough to rebuild the document
 * with nothing else:
 *
 *   docs/<id>/meta.json                      created_at, title, token *hashes* (never tokens), the
 *                                            share links sealed under the owner's key
 *   docs/<id>/snapshot-<seq>-<version>.bin   full state (Yjs V2, gzip) as of update <seq>;
 *                                            one per version, described by custom metadata
 *
 * Keys sort by seq (zero-padded), so the newest state is the last key of the listing.
 */
import * as z from "zod/mini";
import { VERSION_KINDS } from "../../shared/versions";
import { isCodec, type Codec } from "./codec";
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

  async putSnapshot(v: VersionRow, stored: Uint8Array, codec: Codec): Promise<void> {
    const meta: Record<string, string> = {
      id: v.id,
      createdAt: String(v.createdAt),
      seq: String(v.seq),
      kind: v.kind,
      bytes: String(v.bytes),
      codec,
    };
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
   * whose metadata does not parse are skipped (and counted) rather than trusted. */
  async listSnapshots(): Promise<{ rows: VersionRow[]; skipped: number }> {
    const rows: VersionRow[] = [];
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
    return { rows, skipped };
  }

  async delete(keys: string[]): Promise<void> {
    // R2 deletes at most 1,000 keys per call.
    for (let i = 0; i < keys.length; i += 1000) await this.bucket.delete(keys.slice(i, i + 1000));
  }
}
