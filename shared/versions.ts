/** Shapes of the version-history and stats API, shared by the Worker and the client. */
import * as z from "zod/mini";
import { authorsSchema } from "./authorship";
import { MAX_VERSION_NAME_CHARS } from "./limits";

/** Why a version exists. Named ones are kept until the owner deletes them; the rest
 * are thinned (worker/storage/retention.ts). */
export const VERSION_KINDS = ["named", "auto", "idle", "compaction", "before-restore", "before-rebuild", "rebuilt"] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** Versions are thinned within their pool only: `scheduled` ones are made by the
 * server's clock (at most one per VERSION_MIN_GAP_MS), `checkpoint`s on request (a
 * restore or a rebuild), so no burst of requests can thin the others. */
export type VersionPool = "named" | "scheduled" | "checkpoint";
export function versionPool(kind: VersionKind): VersionPool {
  if (kind === "named") return "named";
  return kind === "before-restore" || kind === "before-rebuild" || kind === "rebuilt" ? "checkpoint" : "scheduled";
}

export const versionSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  name: z.optional(z.string()),
  /** Encoded size of the document in that version (Yjs V2, uncompressed). */
  bytes: z.number(),
  /** Display names of the people who edited since the previous version. */
  authors: z.optional(z.array(z.string())),
  kind: z.enum(VERSION_KINDS),
});
export type Version = z.infer<typeof versionSchema>;
export const versionListSchema = z.array(versionSchema);

/** Version ids are random (so an id from one document never opens another's). */
const VERSION_ID_RE = /^[A-Za-z0-9_-]{16,32}$/;
export const isValidVersionId = (id: string): boolean => VERSION_ID_RE.test(id);

export const nameVersionRequestSchema = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_VERSION_NAME_CHARS)),
});

/** `server` applies the restore on the server (API clients); `client` only records
 * the pre-restore checkpoint and returns the content, which the browser applies as
 * its own change so the editor's undo can take it back. */
export const RESTORE_MODES = ["server", "client"] as const;
export const restoreRequestSchema = z.strictObject({ mode: z.optional(z.enum(RESTORE_MODES)) });
export type RestoreMode = (typeof RESTORE_MODES)[number];

export const restoreResponseSchema = z.object({
  restored: z.string(),
  mode: z.enum(RESTORE_MODES),
  /** The version of the state just before the restore (null if it already had one). */
  checkpoint: z.nullable(versionSchema),
  /** ProseMirror JSON of the restored version, in `client` mode. */
  content: z.optional(z.unknown()),
});
export type RestoreResponse = z.infer<typeof restoreResponseSchema>;

/** POST …/versions/<id>/rebuild (owner): no options. */
export const rebuildRequestSchema = z.strictObject({});

export const rebuildResponseSchema = z.object({
  rebuilt: z.string(),
  /** The document's new epoch: every client's copy from before is dropped. */
  epoch: z.number(),
  /** The state just before the rebuild, kept as a version. */
  checkpoint: z.nullable(versionSchema),
  /** The rebuilt state, as a version. */
  version: z.nullable(versionSchema),
  /** Encoded size of the rebuilt state (Yjs V2), and of the state it replaced. */
  bytes: z.number(),
  bytesBefore: z.number(),
});
export type RebuildResponse = z.infer<typeof rebuildResponseSchema>;

export const VERSION_FORMATS = ["json", "md", "txt", "html"] as const;
export type VersionFormat = (typeof VERSION_FORMATS)[number];
export const isVersionFormat = (v: string | null): v is VersionFormat => v !== null && (VERSION_FORMATS as readonly string[]).includes(v);

export const statsSchema = z.object({
  /** Bytes in the Durable Object's SQLite database (snapshot, log, index, meta). */
  bytesStored: z.number(),
  logEntries: z.number(),
  /** Snapshot objects in R2 (each one is a version). */
  snapshots: z.number(),
  versions: z.number(),
  connections: z.number(),
  updatesPerMinute: z.number(),
  lastCompactionMs: z.nullable(z.number()),
  /** How long this Durable Object took to load the document when it last woke. */
  lastLoadMs: z.nullable(z.number()),
  logBytes: z.number(),
  documentBytes: z.number(),
  snapshotStoredBytes: z.number(),
  maxDocumentBytes: z.number(),
});
export type Stats = z.infer<typeof statsSchema>;

/** GET …/versions/<a>/compare?to=<b|current>: `to` names the other side. */
export const COMPARE_CURRENT = "current";

const compareOpSchema = z.enum(["insert", "delete"]);
const compareRunSchema = z.object({
  op: z.enum(["insert", "delete", "same"]),
  text: z.string(),
  /** An `authors[].id`: who inserted it, or who deleted it when the server recorded that. */
  author: z.optional(z.string()),
});
export const compareResponseSchema = z.object({
  /** As in the authorship answer, each with `clients`. */
  authors: authorsSchema,
  /** The insertions and deletions, in document order (never across a block). */
  changes: z.array(z.object({ op: compareOpSchema, text: z.string(), author: z.optional(z.string()) })),
  /** The whole inline view: every block of either side (as the plain-text export has
   * them), each whole-block insert/delete marked, with its unchanged runs too. */
  blocks: z.array(z.object({ op: z.enum(["insert", "delete", "same"]), runs: z.array(compareRunSchema) })),
});
export type CompareResponse = z.infer<typeof compareResponseSchema>;
export type CompareBlock = CompareResponse["blocks"][number];
export type CompareRun = CompareBlock["runs"][number];
