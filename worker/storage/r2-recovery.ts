/**
 * Rebuilding a document from R2 alone, for a Durable Object whose SQLite is empty
 * (a wiped or migrated DO): meta.json gives the token hashes and creation time, the
 * newest snapshot object that inflates and applies gives the content, and the objects'
 * metadata give back the version list. Everything is read and checked first; storage
 * is then written in one transaction, so a failed recovery writes nothing.
 *
 * What is lost: edits after the newest R2 snapshot (made on compaction, every
 * VERSION_INTERVAL_MS of editing, a few seconds after the last person leaves, and on
 * named versions). A client that still holds those edits sends them on reconnect.
 * Comment threads come back from their own R2 copy (r2.ts ThreadsCopy), written at
 * the same alarms; changes to threads after it are lost the same way.
 */
import * as Y from "yjs";
import { YDOC_META_MAP, YDOC_META_TITLE } from "../../shared/api";
import { LINK_KINDS, SHARE_LINK_KINDS } from "../../shared/sharing";
import type { DocStore } from "./store";
import { CODEC_V2_GZIP, decodeSnapshot, encodeSnapshot, type Codec } from "./codec";
import { hashesFingerprint, type DocMetaObject, type SnapshotBucket } from "./r2";
import type { VersionIndex, VersionRow } from "./version-index";
import { MetaKey, sealedLinkKey, tokenHashKey } from "./meta-keys";
import { tableExists } from "./sqlite";

export interface Recovered {
  meta: DocMetaObject;
  versions: VersionRow[];
  /** The state to install, as of update `seq`. */
  snapshot: { stored: Uint8Array; codec: Codec; rawBytes: number; seq: number; versionId: string | null; epoch: number };
  /** Snapshot objects that did not inflate or apply (left in R2, not listed). */
  corrupt: string[];
  /** Objects whose metadata did not parse. */
  skipped: number;
}

/** Reads what R2 holds for the document; null when it has no meta.json (no such document). */
export async function readRecovery(bucket: SnapshotBucket): Promise<Recovered | null> {
  const meta = await bucket.getMeta();
  if (!meta) return null;
  const { rows, skipped, epochs } = await bucket.listSnapshots();
  const newestFirst = [...rows].sort((a, b) => b.seq - a.seq || b.createdAt - a.createdAt);
  const corrupt: string[] = [];
  for (const row of newestFirst) {
    try {
      const obj = await bucket.getSnapshot(row.r2Key);
      if (!obj) {
        corrupt.push(row.id);
        continue;
      }
      const state = await decodeSnapshot(obj.stored, obj.codec);
      Y.applyUpdateV2(new Y.Doc(), state); // throws on a damaged update
      return {
        meta,
        versions: rows.filter((r) => !corrupt.includes(r.id)),
        snapshot: {
          stored: obj.stored,
          codec: obj.codec,
          rawBytes: state.byteLength,
          seq: row.seq,
          versionId: row.id,
          epoch: epochs.get(row.id) ?? 0,
        },
        corrupt,
        skipped,
      };
    } catch {
      corrupt.push(row.id);
    }
  }
  // No usable snapshot: the document as it was created (its title).
  const doc = new Y.Doc();
  doc.getMap(YDOC_META_MAP).set(YDOC_META_TITLE, meta.title);
  const state = Y.encodeStateAsUpdateV2(doc);
  return {
    meta,
    versions: [],
    snapshot: {
      stored: await encodeSnapshot(state, CODEC_V2_GZIP),
      codec: CODEC_V2_GZIP,
      rawBytes: state.byteLength,
      seq: 0,
      versionId: null,
      // The newest epoch R2 has seen: clients holding a copy of it bring it back.
      epoch: Math.max(0, ...epochs.values()),
    },
    corrupt,
    skipped,
  };
}

function hasRows(storage: DurableObjectStorage, table: "updates" | "snapshot"): boolean {
  return tableExists(storage.sql, table) && storage.sql.exec(`SELECT 1 FROM ${table} LIMIT 1`).toArray().length > 0;
}

/** Writes a recovered document into an empty DO's SQLite, in one transaction.
 * `extra`: what else R2 kept (the comment threads), written in the same transaction. */
export function installRecovered(
  storage: DurableObjectStorage,
  store: DocStore,
  index: VersionIndex,
  r: Recovered,
  now: number,
  extra: () => void = () => {},
): void {
  // Sequence numbers must never go back: continue after every seq R2 has seen.
  const upto = Math.max(r.snapshot.seq, ...r.versions.map((v) => v.seq));
  storage.transactionSync(() => {
    if (hasRows(storage, "updates") || hasRows(storage, "snapshot")) {
      throw new Error("refusing to recover over a database that holds document data");
    }
    store.migrate();
    index.migrate();
    for (const kind of LINK_KINDS) {
      const h = r.meta.tokenHashes[kind];
      if (h) store.setMeta(tokenHashKey(kind), h);
    }
    for (const kind of SHARE_LINK_KINDS) {
      const sealed = r.meta.sealedLinks?.[kind];
      if (sealed && r.meta.tokenHashes[kind]) store.setMeta(sealedLinkKey(kind), sealed);
    }
    store.setMeta(MetaKey.CreatedAt, r.meta.createdAt);
    store.setMeta(MetaKey.RecoveredAt, now);
    if (r.snapshot.epoch > 0) store.setMeta(MetaKey.Epoch, r.snapshot.epoch);
    store.setMeta(MetaKey.R2MetaHashes, hashesFingerprint(r.meta));
    store.writeSnapshotRows({ upto, stored: r.snapshot.stored, codec: r.snapshot.codec });
    for (const v of r.versions) index.insert(v);
    extra();
  });
}
