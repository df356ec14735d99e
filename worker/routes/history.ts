/**
 * The document's version history and stats routes (/versions…, /stats). Same auth as
 * export: a view token lists and reads, an edit token also names and restores; stats
 * need edit.
 */
import type * as Y from "yjs";
import type * as z from "zod/mini";
import { MAX_API_BODY_BYTES, MAX_DOCUMENT_BYTES, MAX_NAMED_VERSIONS } from "../../shared/limits";
import { canWrite, type Role } from "../../shared/protocol";
import {
  isValidVersionId,
  isVersionFormat,
  nameVersionRequestSchema,
  restoreRequestSchema,
  type RestoreResponse,
  type Stats,
} from "../../shared/versions";
import { readJson } from "../lib/body";
import { badRequest, json, jsonError, text } from "../lib/http";
import { errorMessage, log } from "../lib/log";
import { docToJson, exportDoc } from "../content/export";
import { toApiVersion, type VersionRow } from "../storage/version-index";
import type { DocStore } from "../storage/store";
import type { Versions } from "../storage/versions";

export interface HistoryHost {
  docId: string;
  versions: Versions;
  store: DocStore;
  /** The role the request's bearer token grants, or a ready error response. */
  authorize(request: Request): Promise<Role | Response>;
  /** Applies a version's content to the live document as one change. */
  applyRestore(version: Y.Doc): void;
  /** A read-only or unloadable document is restored on the server (it repairs it). */
  health(): { readOnly: boolean; loadFailed: boolean };
  titleOf(doc: Y.Doc): string;
  stats(): Omit<Stats, "versions" | "snapshots">;
}

/** The history routes (document-routes.ts maps the paths). Every one checks the bearer
 * token first; a storage failure answers 503, never a stack. */
export class HistoryRoutes {
  constructor(private readonly host: () => HistoryHost) {}

  /** GET /versions */
  list(request: Request): Promise<Response> {
    return this.run(request, async (h) => json(h.versions.list().map(toApiVersion)));
  }

  /** POST /versions */
  name(request: Request): Promise<Response> {
    return this.run(request, (h, role) => nameVersion(request, role, h));
  }

  /** GET /versions/<id> */
  read(request: Request, url: URL, id: string): Promise<Response> {
    return this.run(request, (h) => this.withRow(h, id, (row) => readVersion(url, row, h)));
  }

  /** POST /versions/<id>/restore */
  restore(request: Request, id: string): Promise<Response> {
    return this.run(request, (h, role) => this.withRow(h, id, (row) => restore(request, role, row, h)));
  }

  /** GET /stats */
  stats(request: Request): Promise<Response> {
    return this.run(request, async (h, role) => {
      if (!canWrite(role)) return jsonError(403, "forbidden", "Stats need an edit token");
      const versions = h.versions.count();
      return json({ ...h.stats(), versions, snapshots: versions } satisfies Stats);
    });
  }

  private withRow(h: HistoryHost, id: string, f: (row: VersionRow) => Promise<Response>): Promise<Response> | Response {
    const row = isValidVersionId(id) ? h.versions.get(id) : null;
    return row ? f(row) : jsonError(404, "not-found", "No such version in this document");
  }

  private async run(request: Request, f: (h: HistoryHost, role: Role) => Promise<Response> | Response): Promise<Response> {
    const h = this.host();
    const role = await h.authorize(request);
    if (role instanceof Response) return role;
    try {
      return await f(h, role);
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

async function nameVersion(request: Request, role: Role, host: HistoryHost): Promise<Response> {
  if (!canWrite(role)) return jsonError(403, "forbidden", "Naming versions needs an edit token");
  const req = await parseBody(request, nameVersionRequestSchema, undefined);
  if (req instanceof Response) return req;
  if (host.versions.count("named") >= MAX_NAMED_VERSIONS) {
    return jsonError(409, "too-many-versions", `A document keeps at most ${MAX_NAMED_VERSIONS} named versions`);
  }
  const row = await host.versions.make("named", { name: req.name });
  return json(toApiVersion(row!), 201);
}

async function readVersion(url: URL, row: VersionRow, host: HistoryHost): Promise<Response> {
  const format = url.searchParams.get("format") ?? "json";
  if (!isVersionFormat(format)) return jsonError(400, "bad-format", "format must be json, md, txt or html");
  const doc = await host.versions.read(row);
  if (!doc) return jsonError(404, "not-found", "This version's snapshot is no longer stored");
  const { body: out, contentType } = exportDoc(doc, format, host.titleOf(doc));
  return text(out, contentType);
}

async function restore(request: Request, role: Role, row: VersionRow, host: HistoryHost): Promise<Response> {
  if (!canWrite(role)) return jsonError(403, "forbidden", "Restoring needs an edit token");
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
  const version = await host.versions.read(row);
  if (!version) return jsonError(404, "not-found", "This version's snapshot is no longer stored");
  // The state being replaced becomes a version first, so history keeps it whatever
  // happens next (the restore itself is also undoable). A document that did not load
  // has no state worth keeping (its storage is kept in quarantine instead).
  const checkpoint = health.loadFailed ? null : await host.versions.make("before-restore");
  const out: RestoreResponse = { restored: row.id, mode, checkpoint: checkpoint ? toApiVersion(checkpoint) : null };
  if (mode === "server") {
    try {
      host.applyRestore(version);
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
