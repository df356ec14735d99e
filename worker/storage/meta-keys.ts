/**
 * Every key of the document's `meta` table (key → value), in one place, so what a
 * Durable Object stores about itself can be read off one file.
 */
import type { LinkKind } from "../../shared/sharing";

export const MetaKey = {
  /** When the document was created (ms); its presence means the document exists. */
  CreatedAt: "created_at",
  /** Last change, to the second (UPDATED_AT_RESOLUTION_MS). */
  UpdatedAt: "updated_at",
  /** Deleting: step 1 ran (storage/lifecycle.ts). */
  DeletingAt: "deleting_at",
  /** Deleted: the tombstone left after the wipe. */
  DeletedAt: "deleted_at",
  /** When the document was rebuilt from R2 (storage/r2-recovery.ts). */
  RecoveredAt: "recovered_at",
  /** The stored snapshot's codec and the last update id folded into it. */
  SnapshotCodec: "snapshot_codec",
  SnapshotUpto: "snapshot_upto",
  LastCompactionMs: "last_compaction_ms",
  /** Version of the tables' layout (storage/store.ts). */
  StoreLayout: "store_layout",
  /** Which token hashes R2's meta.json holds (a fingerprint). */
  R2MetaHashes: "r2_meta_hashes",
  /** Display names of who edited since the newest version (JSON array). */
  PendingAuthors: "pending_authors",
  /** The document's epoch: grows on every rebuild from a version (storage/epoch.ts). */
  Epoch: "epoch",
  /** Yjs client ids whose changes broke the room once (JSON array; room/recovery.ts). */
  RefusedClients: "refused_clients",
  /** When the suggestion ids a document already held were recorded (room/defense.ts). */
  SuggestionsRecorded: "suggestions_recorded",
  /** The owner's AI policy, "on" | "suggest" | "off"; absent: "on" (ai/policy.ts). */
  AiPolicy: "ai_policy",
} as const;

/** The SHA-256 hash of a link's token; absent while the link is off. */
export const tokenHashKey = (kind: LinkKind): string => `token_hash_${kind}`;
/** A share link's token sealed under the owner's key (access/sealed-links.ts); absent
 * while the link is off or for links issued before tokens were sealed. */
export const sealedLinkKey = (kind: LinkKind): string => `sealed_link_${kind}`;
/** A link's generation: grows on every reset or switch (access/links.ts). */
export const linkGenKey = (kind: LinkKind): string => `link_gen_${kind}`;
