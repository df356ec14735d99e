import { YDOC_CONTENT_FIELD, shareUrl, type DocInfo, type PatchDocResponse } from "../../shared/api";
import { MAX_API_BODY_BYTES, MAX_DOCUMENT_BYTES, MAX_IMPORT_BODY_BYTES } from "../../shared/limits";
import { canWrite } from "../../shared/protocol";
import {
  SHARE_LINK_KINDS,
  patchDocRequestSchema,
  putContentRequestSchema,
  type IssuedLink,
  type ShareLinkKind,
} from "../../shared/sharing";
import { readJson, type BodyResult } from "../lib/body";
import { ORIGIN_HEADER, badRequest, json, jsonError } from "../lib/http";
import { errorMessage, log } from "../lib/log";
import { bearerToken } from "../access/auth";
import type { Room } from "../room/room";
import { issueToken, roleOfGrant, type Grant } from "../access/links";
import { applyBlocks, parseMarkdown } from "../content/markdown";
import { MetaKey } from "../storage/meta-keys";

/** The part of the room (worker/room/room.ts) the management routes use. */
export type ManageHost = Pick<
  Room,
  "docId" | "doc" | "store" | "links" | "lifecycle" | "phase" | "flush" | "serverChange" | "title" | "setTitle" | "closeRevoked"
>;

export class Manage {
  constructor(private readonly host: ManageHost) {}

  /** The caller's grant from its bearer token, or the answer to give it. */
  private async grant(request: Request): Promise<Grant | Response> {
    const token = bearerToken(request);
    if (!token) return jsonError(401, "unauthorized", "Send Authorization: Bearer <token>");
    const grant = await this.host.links.grantFor(token);
    return grant ?? jsonError(403, "forbidden", "This token does not open this document");
  }

  /** GET /doc */
  async get(request: Request): Promise<Response> {
    const grant = await this.grant(request);
    return grant instanceof Response ? grant : json(this.info(grant));
  }

  /** PATCH /doc */
  async patchRoute(request: Request): Promise<Response> {
    const grant = await this.grant(request);
    return grant instanceof Response ? grant : this.patch(request, grant, request.headers.get(ORIGIN_HEADER) ?? "");
  }

  /** DELETE /doc */
  async deleteRoute(request: Request): Promise<Response> {
    const grant = await this.grant(request);
    return grant instanceof Response ? grant : this.delete(grant);
  }

  /** PUT /content */
  async contentRoute(request: Request): Promise<Response> {
    const grant = await this.grant(request);
    return grant instanceof Response ? grant : this.content(request, grant);
  }

  /** POST /links/<kind>/rotate */
  async rotateRoute(request: Request, kind: ShareLinkKind): Promise<Response> {
    const grant = await this.grant(request);
    return grant instanceof Response ? grant : this.rotate(kind, grant, request.headers.get(ORIGIN_HEADER) ?? "");
  }

  info(grant: Grant): DocInfo {
    const { store, links } = this.host;
    const role = roleOfGrant(grant);
    const createdAt = Number(store.getMeta(MetaKey.CreatedAt) ?? 0);
    const updatedAt = Number(store.getMeta(MetaKey.UpdatedAt) ?? createdAt);
    return {
      id: this.host.docId(),
      title: this.host.title(),
      role,
      createdAt,
      updatedAt,
      ...(role === "owner" ? { links: links.states() } : {}),
    };
  }

  /** After any await: the caller's link may have been reset and the document deleted. */
  private stale(grant: Grant): Response | null {
    if (this.host.phase.kind === "deleting") return jsonError(410, "gone", "This document was deleted");
    if (!this.host.links.isCurrent(grant)) return jsonError(403, "forbidden", "This link no longer works");
    return null;
  }

  private async patch(request: Request, grant: Grant, origin: string): Promise<Response> {
    const body = await readBody(request, MAX_API_BODY_BYTES);
    if (!body.ok) return body.response;
    const parsed = patchDocRequestSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(parsed.error);
    const req = parsed.data;
    const role = roleOfGrant(grant);
    const switching = req.editLink || req.commentLink || req.viewLink;
    if (switching && role !== "owner") {
      return jsonError(403, "forbidden", "Only the owner can turn links on or off");
    }
    if (req.title !== undefined && !canWrite(role)) {
      return jsonError(403, "forbidden", "A view link cannot rename the document");
    }
    const wanted: Record<ShareLinkKind, "on" | "off" | undefined> = {
      edit: req.editLink,
      comment: req.commentLink,
      view: req.viewLink,
    };
    const turnOn = SHARE_LINK_KINDS.filter((k) => wanted[k] === "on" && !this.host.links.isOn(k));
    const fresh = await Promise.all(turnOn.map(() => issueToken()));

    const refused = this.stale(grant);
    if (refused) return refused;
    // From here on: synchronous, one commit.
    const { links } = this.host;
    this.host.flush();
    if (req.title !== undefined) this.host.setTitle(req.title);
    const issued: Partial<Record<ShareLinkKind, IssuedLink>> = {};
    for (const kind of SHARE_LINK_KINDS) {
      if (wanted[kind] === "off" && links.isOn(kind)) links.set(kind, null);
      const i = turnOn.indexOf(kind);
      // Re-checked: a concurrent PATCH may have turned it on meanwhile; keep that one.
      if (i >= 0 && !links.isOn(kind)) {
        links.set(kind, fresh[i]!.hash);
        issued[kind] = { token: fresh[i]!.token, url: shareUrl(origin, this.host.docId(), kind, fresh[i]!.token) };
      }
    }
    const closed = this.host.closeRevoked();
    if (switching) {
      const { editLink: edit, commentLink: comment, viewLink: view } = req;
      log("info", "links-switched", { doc: this.host.docId(), edit, comment, view, closed });
    }
    const out: PatchDocResponse = { ...this.info(grant), ...(Object.keys(issued).length ? { issued } : {}) };
    return json(out);
  }

  private async rotate(kind: ShareLinkKind, grant: Grant, origin: string): Promise<Response> {
    if (roleOfGrant(grant) !== "owner") return jsonError(403, "forbidden", "Only the owner can reset links");
    const { token, hash } = await issueToken();
    const refused = this.stale(grant);
    if (refused) return refused;
    this.host.flush();
    this.host.links.set(kind, hash);
    const closed = this.host.closeRevoked();
    log("info", "link-rotated", { doc: this.host.docId(), kind, closed });
    const out: IssuedLink = { token, url: shareUrl(origin, this.host.docId(), kind, token) };
    return json(out);
  }

  private async delete(grant: Grant): Promise<Response> {
    if (roleOfGrant(grant) !== "owner") return jsonError(403, "forbidden", "Only the owner can delete the document");
    const { lifecycle } = this.host;
    this.host.flush();
    lifecycle.begin();
    const done = await lifecycle.finish();
    const id = this.host.docId();
    // 202: deleted for everyone already; the R2 cleanup is retried by an alarm.
    return json({ id, deleted: true, cleanup: done ? "done" : "pending" }, done ? 200 : 202);
  }

  private async content(request: Request, grant: Grant): Promise<Response> {
    if (!canWrite(roleOfGrant(grant))) return jsonError(403, "forbidden", "A view link cannot change the document");
    const body = await readBody(request, MAX_IMPORT_BODY_BYTES);
    if (!body.ok) return body.response;
    const parsed = putContentRequestSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(parsed.error);
    let blocks: Awaited<ReturnType<typeof parseMarkdown>>;
    try {
      blocks = await parseMarkdown(parsed.data.markdown);
    } catch (err) {
      log("warn", "markdown-rejected", { doc: this.host.docId(), error: errorMessage(err) });
      return jsonError(400, "bad-markdown", "The Markdown could not be turned into document content");
    }
    if (this.host.store.storedBytes() + blocks.bytes > MAX_DOCUMENT_BYTES) {
      return jsonError(413, "document-too-large", "The document would pass its size limit");
    }
    const refused = this.stale(grant);
    if (refused) return refused;
    this.host.flush();
    const mode = parsed.data.mode;
    await applyBlocks(
      blocks,
      mode,
      (change) => this.host.serverChange(() => change(this.host.doc().getXmlFragment(YDOC_CONTENT_FIELD))),
      () => this.stale(grant) === null,
    );
    log("info", "content-put", { doc: this.host.docId(), mode, blocks: blocks.blocks.length });
    return json({ id: this.host.docId(), mode, blocks: blocks.blocks.length });
  }
}

/** The JSON body, read only after the caller's token was checked (every route does that first). */
async function readBody(request: Request, maxBytes: number): Promise<BodyResult<unknown>> {
  const body = await readJson(request, maxBytes);
  if (body.ok && body.value === undefined) return { ok: false, response: jsonError(400, "bad-json", "A JSON body is required") };
  return body;
}
