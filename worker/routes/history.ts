/**
 * The document's version history and stats routes (/versions…, /stats). Every link
 * lists, reads and compares versions; owner and edit links also name and restore (each rate
 * limited per link, link-rates.ts); only the owner deletes a named version. Stats need
 * edit.
 */
import type * as Y from "yjs";
import type * as z from "zod/mini";
import { MAX_API_BODY_BYTES, MAX_DOCUMENT_BYTES, MAX_NAMED_VERSIONS, NAMED_VERSIONS_OWNER_RESERVE } from "../../shared/limits";
import { canWrite, type Role } from "../../shared/protocol";
import type { LinkKind } from "../../shared/sharing";
import {
  isValidVersionId,
  isVersionFormat,
  nameVersionRequestSchema,
  rebuildRequestSchema,
  type RebuildResponse,
  restoreRequestSchema,
  type RestoreResponse,
  type Stats,
} from "../../shared/versions";
import { readJson } from "../lib/body";
import { badRequest, json, jsonError, text } from "../lib/http";
import { errorMessage, log } from "../lib/log";
import { docToJson } from "../content/export";
import { exportStream, readPieces } from "../content/export-pieces";
import { toApiVersion, type VersionRow } from "../storage/version-index";
import type { DocStore } from "../storage/store";
import type { Versions } from "../storage/versions";
import { LINK_ROLE, bearerToken } from "../access/auth";
import { type CompareHost, compareVersions } from "./compare";
import { LinkRates, type RatedAction, tooMany } from "./link-rates";

/** The link a request's token opens (access/links.ts `Grant`). */
export interface RequestLink {
  kind: LinkKind;
  gen: number;
}

export interface HistoryHost extends CompareHost {
  docId: string;
  versions: Versions;
  store: DocStore;
  /** The link a presented token opens now, or null (access/links.ts). */
  grantFor(token: string): Promise<RequestLink | null>;
  /** Applies a version's content to the live document as one change. */
  /** `by`: the role that restored (the restored text is recorded as theirs). */
  applyRestore(version: Y.Doc, by: Role): void;
  /** A named version was deleted: the newest R2 copy may now be older than the state. */
  versionDeleted(): void;
  /** Rebuilds the document from `version` (storage/history.ts), with the room closed
   * to changes meanwhile and reloaded after. */
  rebuild(version: Y.Doc): Promise<{ epoch: number; before: VersionRow | null; rebuilt: VersionRow | null; bytes: number }>;
  /** A read-only or unloadable document is restored on the server (it repairs it). */
  health(): { readOnly: boolean; loadFailed: boolean };
  titleOf(doc: Y.Doc): string;
  stats(): Omit<Stats, "versions" | "snapshots">;
}

/** The history routes (document-routes.ts maps the paths). Every one checks the bearer
 * token first; a storage failure answers 503, never a stack. */
export class HistoryRoutes {
  private readonly rates = new LinkRates();

  constructor(private readonly host: () => HistoryHost) {}

  /** GET /versions */
  list(request: Request): Promise<Response> {
    return this.run(request, async (h) => json(h.versions.list().map(toApiVersion)));
  }

  /** POST /versions */
  name(request: Request): Promise<Response> {
    return this.run(request, (h, role, link) => {
      if (!canWrite(role)) return jsonError(403, "forbidden", "Naming versions needs an edit link");
      return nameVersion(request, role, h, () => this.limited(link, "name"));
    });
  }

  /** GET /versions/<id> */
  read(request: Request, url: URL, id: string): Promise<Response> {
    return this.run(request, (h) => this.withRow(h, id, (row) => readVersion(url, row, h)));
  }

  /** GET /versions/<id>/compare?to=<id|current> (routes/compare.ts) */
  compare(request: Request, url: URL, id: string): Promise<Response> {
    return this.run(request, (h, _role, link) =>
      this.withRow(h, id, (row) => compareVersions(url, row, h, () => this.limited(link, "compare"))),
    );
  }

  /** POST /versions/<id>/restore */
  restore(request: Request, id: string): Promise<Response> {
    return this.run(request, (h, role, link) => {
      if (!canWrite(role)) return jsonError(403, "forbidden", "Restoring needs an edit link");
      return this.withRow(h, id, (row) => restore(request, role, row, h, () => this.limited(link, "restore")));
    });
  }

  /** POST /versions/<id>/rebuild: the owner replaces the document's whole CRDT state
   * with a fresh one made from this version (rate limited with restores). */
  rebuild(request: Request, id: string): Promise<Response> {
    return this.run(request, (h, role, link) => {
      if (role !== "owner") return jsonError(403, "forbidden", "Only the owner can rebuild the document");
      return this.withRow(h, id, async (row) => {
        const req = await parseBody(request, rebuildRequestSchema, {});
        if (req instanceof Response) return req;
        const refused = this.limited(link, "restore");
        if (refused) return refused;
        const version = await h.versions.read(row);
        if (!version) return jsonError(404, "not-found", "This version's snapshot is no longer stored");
        const bytesBefore = h.store.storedBytes();
        const done = await h.rebuild(version);
        log("info", "rebuild", { doc: h.docId, version: row.id, epoch: done.epoch, bytes: done.bytes, bytesBefore });
        const out: RebuildResponse = {
          rebuilt: row.id,
          epoch: done.epoch,
          checkpoint: done.before ? toApiVersion(done.before) : null,
          version: done.rebuilt ? toApiVersion(done.rebuilt) : null,
          bytes: done.bytes,
          bytesBefore,
        };
        return json(out);
      });
    });
  }

  /** DELETE /versions/<id>: the owner removes a named version (and frees its slot). */
  remove(request: Request, id: string): Promise<Response> {
    return this.run(request, (h, role) => {
      if (role !== "owner") return jsonError(403, "forbidden", "Only the owner can delete versions");
      return this.withRow(h, id, async (row) => {
        if (row.kind !== "named") {
          return jsonError(409, "not-named", "Only named versions can be deleted; automatic ones are thinned over time");
        }
        await h.versions.remove(row);
        h.versionDeleted();
        return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
      });
    });
  }

  /** GET /stats */
  stats(request: Request): Promise<Response> {
    return this.run(request, async (h, role) => {
      if (!canWrite(role)) return jsonError(403, "forbidden", "Stats need an edit token");
      const versions = h.versions.count();
      return json({ ...h.stats(), versions, snapshots: versions } satisfies Stats);
    });
  }

  private withRow(h: HistoryHost, id: string, f: (row: VersionRow) => Promise<Response> | Response): Promise<Response> | Response {
    const row = isValidVersionId(id) ? h.versions.get(id) : null;
    return row ? f(row) : jsonError(404, "not-found", "No such version in this document");
  }

  /** 429 with Retry-After when the link's budget for `action` is spent, else null. */
  private limited(link: RequestLink, action: RatedAction): Response | null {
    const waitMs = this.rates.take(link, action);
    if (waitMs === 0) return null;
    const what = action === "restore" ? "restores" : action === "compare" ? "compares" : "named versions";
    return tooMany(waitMs, `Too many ${what} from this link; try again in ${Math.ceil(waitMs / 1000)} s`);
  }

  private async run(
    request: Request,
    f: (h: HistoryHost, role: Role, link: RequestLink) => Promise<Response> | Response,
  ): Promise<Response> {
    const h = this.host();
    const token = bearerToken(request);
    if (!token) return jsonError(401, "unauthorized", "Send Authorization: Bearer <a link's token>");
    const link = await h.grantFor(token);
    if (!link) return jsonError(403, "forbidden", "This token does not open this document");
    try {
      return await f(h, LINK_ROLE[link.kind], link);
    } catch (err) {
      log("error", "history-failed", { doc: h.docId, path: new URL(request.url).pathname, error: errorMessage(err) });
      return jsonError(503, "storage-unavailable", "Version storage is unavailable; try again");
    }
  }
}

/** Reads and validates a JSON body; an empty body counts as `empty`. */
async function parseBody<T>(request: Request, schema: z.ZodMiniType<T>, empty: unknown): Promise<T | Response> {
  const body = await readJson(request, MAX_API_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = schema.safeParse(body.value === undefined ? empty : body.value);
  return parsed.success ? parsed.data : badRequest(parsed.error);
}

/** `limited`: the link's rate limit, taken once the request is known to be valid (a
 * malformed one costs nothing but its answer). */
async function nameVersion(request: Request, role: Role, host: HistoryHost, limited: () => Response | null): Promise<Response> {
  const req = await parseBody(request, nameVersionRequestSchema, undefined);
  if (req instanceof Response) return req;
  // The last NAMED_VERSIONS_OWNER_RESERVE slots are the owner's alone.
  const cap = role === "owner" ? MAX_NAMED_VERSIONS : MAX_NAMED_VERSIONS - NAMED_VERSIONS_OWNER_RESERVE;
  if (host.versions.count("named") >= cap) {
    return jsonError(
      409,
      "too-many-versions",
      role === "owner"
        ? `A document keeps at most ${MAX_NAMED_VERSIONS} named versions; delete one to name another`
        : `This document has all the named versions other links may add (${cap}); its owner can delete some`,
    );
  }
  const refused = limited();
  if (refused) return refused;
  const row = await host.versions.make("named", { name: req.name });
  return json(toApiVersion(row!), 201);
}

async function readVersion(url: URL, row: VersionRow, host: HistoryHost): Promise<Response> {
  const format = url.searchParams.get("format") ?? "json";
  if (!isVersionFormat(format)) return jsonError(400, "bad-format", "format must be json, md, txt or html");
  const doc = await host.versions.read(row);
  if (!doc) return jsonError(404, "not-found", "This version's snapshot is no longer stored");
  const { body: out, contentType } = exportStream(readPieces(doc), format, host.titleOf(doc), undefined, host.docId);
  return text(out, contentType);
}

async function restore(
  request: Request,
  role: Role,
  row: VersionRow,
  host: HistoryHost,
  limited: () => Response | null,
): Promise<Response> {
  const req = await parseBody(request, restoreRequestSchema, {});
  if (req instanceof Response) return req;
  const health = host.health();
  // Nobody's editor can apply it in a document that cannot be edited: the server does.
  const mode = health.readOnly || health.loadFailed ? "server" : (req.mode ?? "server");
  const tooBig =
    health.readOnly || health.loadFailed ? row.bytes > MAX_DOCUMENT_BYTES : host.store.storedBytes() + row.bytes > MAX_DOCUMENT_BYTES;
  if (tooBig) {
    return jsonError(413, "document-too-large", "Restoring this version would pass the document size limit");
  }
  const refused = limited();
  if (refused) return refused;
  const version = await host.versions.read(row);
  if (!version) return jsonError(404, "not-found", "This version's snapshot is no longer stored");
  // The state being replaced becomes a version first, so history keeps it whatever
  // happens next (the restore itself is also undoable). A document that did not load
  // has no state worth keeping (its storage is kept in quarantine instead).
  let checkpoint: VersionRow | null = null;
  if (!health.loadFailed) {
    const made = await host.versions.checkpoint("before-restore", role !== "owner");
    if ("retryAfterMs" in made) {
      const s = Math.ceil(made.retryAfterMs / 1000);
      return tooMany(made.retryAfterMs, `This document has had too many restores this hour; try again in ${s} s, or ask its owner`);
    }
    checkpoint = made.row;
  }
  const out: RestoreResponse = { restored: row.id, mode, checkpoint: checkpoint ? toApiVersion(checkpoint) : null };
  if (mode === "server") {
    try {
      host.applyRestore(version, role);
      host.versions.noteRestored(row.id);
    } catch (err) {
      log("warn", "restore-failed", { doc: host.docId, version: row.id, error: errorMessage(err) });
      return jsonError(422, "cannot-restore", "This version's content does not fit the editor's schema");
    }
  } else {
    out.content = docToJson(version);
  }
  log("info", "restored", { doc: host.docId, version: row.id, mode });
  return json(out);
}
