/**
 * The Durable Object's internal routes for version history and stats (the Worker
 * forwards /api/docs/<id>/versions... and /stats here). Same auth as export: a view
 * token lists and reads, an edit token also names and restores; stats need edit.
 */
import type * as Y from "yjs";
import type { z } from "zod";
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
import { json, jsonError, text } from "../lib/http";
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

const VERSION_PATH = /^\/versions\/([^/]+)(\/restore)?$/;

/** Answers a history route, or returns null when the path is not one. */
export async function handleHistory(request: Request, url: URL, host: HistoryHost): Promise<Response | null> {
  const { pathname } = url;
  const method = request.method;
  const match = VERSION_PATH.exec(pathname);
  if (pathname !== "/versions" && pathname !== "/stats" && !match) return null;

  const role = await host.authorize(request);
  if (role instanceof Response) return role;
  try {
    if (pathname === "/stats") {
      if (method !== "GET") return jsonError(405, "method-not-allowed", "Use GET");
      if (!canWrite(role)) return jsonError(403, "forbidden", "Stats need an edit token");
      const versions = host.versions.count();
      return json({ ...host.stats(), versions, snapshots: versions } satisfies Stats);
    }
    if (pathname === "/versions") {
      if (method === "GET") return json(host.versions.list().map(toApiVersion));
      if (method === "POST") return await nameVersion(request, role, host);
      return jsonError(405, "method-not-allowed", "Use GET or POST");
    }
    const id = match![1]!;
    const row = isValidVersionId(id) ? host.versions.get(id) : null;
    if (!row) return jsonError(404, "not-found", "No such version in this document");
    if (match![2]) {
      if (method !== "POST") return jsonError(405, "method-not-allowed", "Use POST to restore");
      return await restore(request, role, row, host);
    }
    if (method !== "GET") return jsonError(405, "method-not-allowed", "Use GET");
    return await readVersion(url, row, host);
  } catch (err) {
    log("error", "history-failed", { doc: host.docId, path: pathname, error: errorMessage(err) });
    return jsonError(503, "storage-unavailable", "Version storage is unavailable; try again");
  }
}

/** Reads and validates a JSON body; an empty body counts as `empty`. */
async function parseBody<T>(request: Request, schema: z.ZodType<T>, empty: unknown): Promise<T | Response> {
  const body = await readJson(request, MAX_API_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = schema.safeParse(body.value === undefined ? empty : body.value);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "body"}: ${i.message}`).join("; ");
    return jsonError(400, "bad-request", msg);
  }
  return parsed.data;
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
  const tooBig = health.readOnly || health.loadFailed ? row.bytes > MAX_DOCUMENT_BYTES : host.store.storedBytes() + row.bytes > MAX_DOCUMENT_BYTES;
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
