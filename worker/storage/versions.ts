/**
 * A document's versions: each is a full snapshot object in R2 plus a row in the
 * SQLite index. Making one = capture the state (or reuse a compaction's compressed
 * bytes), put the object, then insert the row — in that order, so the index never
 * points at an object that was not written. Scheduled versions are skipped when
 * nothing changed or the previous scheduled one is younger than VERSION_MIN_GAP_MS;
 * checkpoints (before a restore or a rebuild) when nothing changed, or when the state is
 * one a version already holds (just restored from it); non-owners' checkpoints have an
 * hourly budget. Everything automatic is thinned afterwards (retention.ts), each pool on
 * its own. Version-making is serialised, so two triggers at once cannot both pass those
 * checks.
 */
import * as Y from "yjs";
import {
  MAX_NAME_CHARS,
  MAX_VERSION_AUTHORS,
  RESTORE_CHECKPOINTS_PER_HOUR,
  RETAIN_ALL_VERSIONS_MS,
  VERSION_MIN_GAP_MS,
} from "../../shared/limits";
import { randomId } from "../../shared/ids";
import { type VersionKind, VERSION_KINDS, versionPool } from "../../shared/versions";
import { CODEC_V2_GZIP, decodeSnapshot, encodeSnapshot } from "./codec";
import { hashesFingerprint, type DocMetaObject, type SnapshotBucket } from "./r2";
import { versionsToThin } from "./retention";
import type { VersionIndex, VersionRow } from "./version-index";
import { errorMessage, log } from "../lib/log";
import type { Compacted } from "./compactor";
import type { DocStore } from "./store";
import { MetaKey } from "./meta-keys";

const META_AUTHORS = MetaKey.PendingAuthors;
const VERSION_ID_BYTES = 12; // 16 base64url characters, 96 random bits
const SCHEDULED = VERSION_KINDS.filter((k) => versionPool(k) === "scheduled");
const CHECKPOINTS = VERSION_KINDS.filter((k) => versionPool(k) === "checkpoint");

interface MakeOptions {
  name?: string;
  /** A snapshot already compressed (a compaction's, a rebuilt state) to use when it is
   * newer than the newest version. */
  from?: Pick<Compacted, "upto" | "rawBytes" | "stored">;
  /** Made even when nothing changed since the newest version. */
  force?: boolean;
}

export type CheckpointKind = "before-restore" | "before-rebuild";

/** A checkpoint made (or not needed: null), or refused by the hourly budget. */
export type CheckpointOutcome = { row: VersionRow | null } | { retryAfterMs: number };

export interface VersionsDeps {
  store: DocStore;
  index: VersionIndex;
  bucket: SnapshotBucket;
  doc: () => Y.Doc;
  docId: () => string;
  /** What docs/<id>/meta.json should say (written once per document). */
  metaObject: () => DocMetaObject;
  /** The document's epoch (epoch.ts), written with each snapshot. */
  epoch: () => number;
  now?: () => number;
}

export class Versions {
  private chain: Promise<unknown> = Promise.resolve();
  private authors = new Set<string>();
  /** Seq of the newest version (cached: `dirty` is checked on every edit). */
  private lastSeq = 0;
  private readonly now: () => number;

  constructor(private readonly deps: VersionsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Reads what survives hibernation: the newest version and pending author names. */
  init(): void {
    this.lastSeq = this.deps.index.latest()?.seq ?? 0;
    const raw = this.deps.store.getMeta(META_AUTHORS);
    if (typeof raw === "string") {
      try {
        const names: unknown = JSON.parse(raw);
        if (Array.isArray(names)) for (const n of names) if (typeof n === "string") this.authors.add(n);
      } catch {
        /* a damaged list only loses names */
      }
    }
  }

  /** True when the document changed since its newest version. */
  get dirty(): boolean {
    return this.deps.store.seq > this.lastSeq;
  }

  /** When the next scheduled version may be made (checkpoints do not move it: they
   * are made on request, and must not delay the clock's versions either). */
  autoGapEndsAt(): number {
    const last = this.deps.index.latestOf(SCHEDULED);
    return last ? last.createdAt + VERSION_MIN_GAP_MS : 0;
  }

  /** Records who is editing; stored only when a new name appears (rarely). */
  noteAuthor(name: string): void {
    const clean = name.replace(/\s+/g, " ").trim().slice(0, MAX_NAME_CHARS);
    if (!clean || this.authors.has(clean) || this.authors.size >= MAX_VERSION_AUTHORS) return;
    this.authors.add(clean);
    this.deps.store.setMeta(META_AUTHORS, JSON.stringify([...this.authors]));
  }

  list(): VersionRow[] {
    return this.deps.index.list();
  }

  count(kind?: "named"): number {
    return this.deps.index.count(kind);
  }

  get(id: string): VersionRow | null {
    return this.deps.index.get(id);
  }

  /**
   * Makes a version now. Automatic kinds return null when nothing changed since the
   * newest version or the minimum gap has not passed; named versions are always made.
   * Throws when R2 refuses the write; nothing is indexed then.
   */
  make(kind: VersionKind, opts: MakeOptions = {}): Promise<VersionRow | null> {
    return this.serially(() => this.makeNow(kind, opts));
  }

  /**
   * The state about to be replaced (by a restore or a rebuild), as a version. Not made
   * when nothing changed since the newest version, nor when the state is the one a
   * restore of a still-kept version left (that version holds it): so restoring two
   * versions back and forth makes no checkpoints at all. `budgeted`: the caller is not
   * the owner, and may add at most RESTORE_CHECKPOINTS_PER_HOUR in any hour (counting
   * the owner's), else the answer says when one is free again.
   */
  checkpoint(kind: CheckpointKind, budgeted: boolean): Promise<CheckpointOutcome> {
    return this.serially(async () => {
      if (!this.dirty) return { row: null };
      const held = this.restoredState;
      if (held && held.seq === this.deps.store.seq && this.deps.index.get(held.versionId)) return { row: null };
      if (budgeted) {
        const now = this.now();
        const recent = this.deps.index.createdSince(CHECKPOINTS, now - RETAIN_ALL_VERSIONS_MS);
        if (recent.length >= RESTORE_CHECKPOINTS_PER_HOUR) {
          const freeAt = recent[recent.length - RESTORE_CHECKPOINTS_PER_HOUR]! + RETAIN_ALL_VERSIONS_MS;
          return { retryAfterMs: Math.max(1, freeAt - now) };
        }
      }
      return { row: await this.makeNow(kind, {}) };
    });
  }

  /** A restore of `versionId` was just applied: the live state is that version's
   * content until the next change (kept in memory; forgetting it costs one checkpoint). */
  noteRestored(versionId: string): void {
    this.restoredState = { seq: this.deps.store.seq, versionId };
  }
  private restoredState: { seq: number; versionId: string } | null = null;

  private serially<T>(f: () => Promise<T>): Promise<T> {
    const next = this.chain.then(f);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async makeNow(kind: VersionKind, opts: MakeOptions): Promise<VersionRow | null> {
    const { store, index, bucket } = this.deps;
    const now = this.now();
    const automatic = kind !== "named";
    if (automatic && !opts.force && !this.dirty) return null;
    if (versionPool(kind) === "scheduled" && now < this.autoGapEndsAt()) return null;

    const authors = [...this.authors];
    let seq: number;
    let rawBytes: number;
    let stored: Uint8Array;
    if (opts.from && opts.from.upto > this.lastSeq) {
      ({ upto: seq, rawBytes, stored } = opts.from);
    } else {
      const cap = store.capture(this.deps.doc());
      seq = cap.upto;
      rawBytes = cap.state.byteLength;
      stored = await encodeSnapshot(cap.state, CODEC_V2_GZIP);
    }
    const id = randomId(VERSION_ID_BYTES);
    const row: VersionRow = {
      id,
      createdAt: now,
      seq,
      kind,
      name: opts.name ?? null,
      bytes: rawBytes,
      storedBytes: stored.byteLength,
      authors,
      r2Key: bucket.snapshotKey(seq, id),
    };
    await this.ensureMetaObject();
    await bucket.putSnapshot(row, stored, CODEC_V2_GZIP, this.deps.epoch());
    // One commit: the row, and the author list it consumed (names noted while the
    // object was uploading stay for the next version).
    index.insert(row);
    for (const a of authors) this.authors.delete(a);
    if (this.authors.size === 0) store.deleteMeta(META_AUTHORS);
    else store.setMeta(META_AUTHORS, JSON.stringify([...this.authors]));
    this.lastSeq = Math.max(this.lastSeq, seq);
    log("info", "version", { doc: this.deps.docId(), version: id, kind, seq, storedBytes: stored.byteLength });
    if (automatic) await this.thin(now);
    return row;
  }

  /** Rewrites meta.json when the token hashes changed since it was written (a
   * rotated link must not come back after a recovery), or when it was never written
   * (documents created before R2 snapshots existed). */
  async ensureMetaObject(): Promise<void> {
    const meta = this.deps.metaObject();
    const fingerprint = hashesFingerprint(meta);
    if (this.deps.store.getMeta(MetaKey.R2MetaHashes) === fingerprint) return;
    await this.deps.bucket.putMeta(meta);
    this.deps.store.setMeta(MetaKey.R2MetaHashes, fingerprint);
  }

  /** Records that meta.json holds these hashes (create writes it itself). */
  markMetaWritten(meta: DocMetaObject): void {
    this.deps.store.setMeta(MetaKey.R2MetaHashes, hashesFingerprint(meta));
  }

  private async thin(now: number): Promise<void> {
    const rows = this.deps.index.list();
    const drop = new Set(versionsToThin(rows, now));
    if (drop.size === 0) return;
    const doomed = rows.filter((r) => drop.has(r.id));
    try {
      // Objects first: if R2 fails, the rows stay and the next thinning retries.
      await this.deps.bucket.delete(doomed.map((r) => r.r2Key));
      this.deps.index.delete(doomed.map((r) => r.id));
    } catch (err) {
      log("warn", "thinning-failed", { doc: this.deps.docId(), error: errorMessage(err) });
    }
  }

  /** Deletes one version: its R2 object first, then its row (if R2 fails, nothing is
   * deleted and the caller answers with an error). Serialised with version-making, so
   * a version being made or thinned meanwhile is not touched twice. */
  remove(row: VersionRow): Promise<void> {
    return this.serially(async () => {
      await this.deps.bucket.delete([row.r2Key]);
      this.deps.index.delete([row.id]);
      // The newest state R2 holds may now be older: `dirty` says so, and the caller
      // schedules a version.
      this.lastSeq = this.deps.index.latest()?.seq ?? 0;
      log("info", "version-deleted", { doc: this.deps.docId(), version: row.id, kind: row.kind });
    });
  }

  /** Loads a version's content into a fresh Y.Doc. Null if its object is gone. */
  async read(row: VersionRow): Promise<Y.Doc | null> {
    const state = await this.readState(row);
    if (!state) return null;
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdateV2(doc, state);
    return doc;
  }

  /** A version's content as Yjs V2 state (what compare merges). Null if its object is gone. */
  async readState(row: VersionRow): Promise<Uint8Array | null> {
    const obj = await this.deps.bucket.getSnapshot(row.r2Key);
    return obj ? decodeSnapshot(obj.stored, obj.codec) : null;
  }
}
