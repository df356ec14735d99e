/**
 * The document's management API inside its Durable Object (document-routes.ts routes
 * here): info, what a token opens, rename, the AI policy, the share links (read back, switches and
 * resets, the owner link's reset), delete, and Markdown content.
 *
 * Every handler authenticates with the bearer token, does its async work (hashing,
 * reading the body, issuing tokens) first, then re-checks that the caller's link is
 * still current and the document still alive, and makes its change in one synchronous
 * block: one SQLite commit, and connections cut in the same turn.
 */
import { YDOC_CONTENT_FIELD, shareUrl, type AccessAnswer, type DocInfo, type PatchDocResponse, type ShareLinks } from "../../shared/api";
import { MAX_API_BODY_BYTES, MAX_DOCUMENT_BYTES, MAX_IMPORT_BODY_BYTES } from "../../shared/limits";
import { canWrite } from "../../shared/protocol";
import {
  SHARE_LINK_KINDS,
  patchDocRequestSchema,
  putContentRequestSchema,
  type IssuedLink,
  type LinkKind,
  type ShareLinkKind,
} from "../../shared/sharing";
import { readJson, type BodyResult } from "../lib/body";
import { ORIGIN_HEADER, badRequest, json, jsonError } from "../lib/http";
import { errorMessage, log } from "../lib/log";
import { bearerToken, newToken } from "../access/auth";
import type { Room } from "../room/room";
import { issueSealed, roleOfGrant, type Grant } from "../access/links";
import { sealKey } from "../access/sealed-links";
import { applyBlocks, parseMarkdown } from "../content/markdown";
import { MetaKey } from "../storage/meta-keys";

/** The part of the room (worker/room/room.ts) the management routes use. */
export type ManageHost = Pick<
  Room,
  | "docId"
  | "doc"
  | "store"
  | "links"
  | "lifecycle"
  | "phase"
  | "flush"
  | "serverChange"
  | "writerFor"
  | "title"
  | "setTitle"
  | "closeRevoked"
  | "aiPolicy"
>;

export class Manage {
  constructor(private readonly host: ManageHost) {}

  /** The caller's grant from its bearer token, or the answer to give it. */
  private async grant(request: Request): Promise<Grant | Response> {
    const found = await this.caller(request);
    return found instanceof Response ? found : found.grant;
  }

  /** The caller's grant and the token it was earned with (to derive the owner's key). */
  private async caller(request: Request): Promise<{ grant: Grant; token: string } | Response> {
    const token = bearerToken(request);
    if (!token) return jsonError(401, "unauthorized", "Send Authorization: Bearer <token>");
    const grant = await this.host.links.grantFor(token);
    return grant ? { grant, token } : jsonError(403, "forbidden", "This token does not open this document");
  }

  /** GET /doc */
  async get(request: Request): Promise<Response> {
    const grant = await this.grant(request);
    return grant instanceof Response ? grant : json(this.info(grant));
  }

  /** GET /access: what the bearer token opens, answered 200 whatever it is (the gate
   * answers for a deleted or unknown document), so a browser checking the tokens it
   * keeps causes no failed requests. Tells nothing a 403 would not. */
  async access(request: Request): Promise<Response> {
    const token = bearerToken(request);
    const grant = token ? await this.host.links.grantFor(token) : null;
    const out: AccessAnswer = grant ? { access: "open", info: this.info(grant) } : { access: "refused" };
    return json(out);
  }

  /** GET /links: the share links as they are now, for the owner, in any browser. */
  async linksRoute(request: Request): Promise<Response> {
    const found = await this.caller(request);
    if (found instanceof Response) return found;
    if (roleOfGrant(found.grant) !== "owner") return jsonError(403, "forbidden", "Only the owner can see the share links");
    const revealed = await this.host.links.reveal(found.token, this.host.docId());
    const refused = this.stale(found.grant);
    if (refused) return refused;
    const origin = request.headers.get(ORIGIN_HEADER) ?? "";
    const out = {} as ShareLinks;
    for (const kind of SHARE_LINK_KINDS) {
      const link = revealed[kind];
      out[kind] =
        link.state === "off"
          ? { state: "off", url: null }
          : { state: "on", url: link.token === null ? null : shareUrl(origin, this.host.docId(), kind, link.token) };
    }
    return json(out);
  }

  /** PATCH /doc */
  async patchRoute(request: Request): Promise<Response> {
    const found = await this.caller(request);
    return found instanceof Response ? found : this.patch(request, found, request.headers.get(ORIGIN_HEADER) ?? "");
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

  /** POST /links/<kind>/rotate (the owner link too) */
  async rotateRoute(request: Request, kind: LinkKind): Promise<Response> {
    const found = await this.caller(request);
    if (found instanceof Response) return found;
    const origin = request.headers.get(ORIGIN_HEADER) ?? "";
    return kind === "owner" ? this.rotateOwner(found, origin) : this.rotate(kind, found, origin);
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
      ai: this.host.aiPolicy.current(),
      ...(role === "owner" ? { links: links.states() } : {}),
    };
  }

  /** After any await: the caller's link may have been reset and the document deleted. */
  private stale(grant: Grant): Response | null {
    if (this.host.phase.kind === "deleting") return jsonError(410, "gone", "This document was deleted");
    if (!this.host.links.isCurrent(grant)) return jsonError(403, "forbidden", "This link no longer works");
    return null;
  }

  private async patch(request: Request, caller: { grant: Grant; token: string }, origin: string): Promise<Response> {
    const { grant } = caller;
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
    if (req.ai !== undefined && role !== "owner") {
      return jsonError(403, "forbidden", "Only the owner can set the document's AI policy");
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
    // Only the owner switches links, so the caller's token is the owner token here.
    const key = turnOn.length ? await sealKey(caller.token, this.host.docId()) : null;
    const fresh = await Promise.all(turnOn.map((kind) => issueSealed(key!, this.host.docId(), kind)));

    const refused = this.stale(grant);
    if (refused) return refused;
    // From here on: synchronous, one commit.
    const { links } = this.host;
    this.host.flush();
    if (req.title !== undefined) this.host.setTitle(req.title);
    if (req.ai !== undefined) this.host.aiPolicy.set(req.ai);
    const issued: Partial<Record<ShareLinkKind, IssuedLink>> = {};
    for (const kind of SHARE_LINK_KINDS) {
      if (wanted[kind] === "off" && links.isOn(kind)) links.set(kind, null);
      const i = turnOn.indexOf(kind);
      // Re-checked: a concurrent PATCH may have turned it on meanwhile; keep that one.
      if (i >= 0 && !links.isOn(kind)) {
        links.set(kind, fresh[i]!.hash, fresh[i]!.sealed);
        issued[kind] = { token: fresh[i]!.token, url: shareUrl(origin, this.host.docId(), kind, fresh[i]!.token) };
      }
    }
    const closed = this.host.closeRevoked();
    if (req.ai !== undefined) log("info", "ai-policy-set", { doc: this.host.docId(), ai: req.ai });
    if (switching) {
      const { editLink: edit, commentLink: comment, viewLink: view } = req;
      log("info", "links-switched", { doc: this.host.docId(), edit, comment, view, closed });
    }
    const out: PatchDocResponse = { ...this.info(grant), ...(Object.keys(issued).length ? { issued } : {}) };
    return json(out);
  }

  private async rotate(
    kind: ShareLinkKind,
    { grant, token: ownerToken }: { grant: Grant; token: string },
    origin: string,
  ): Promise<Response> {
    if (roleOfGrant(grant) !== "owner") return jsonError(403, "forbidden", "Only the owner can reset links");
    const { token, hash, sealed } = await issueSealed(await sealKey(ownerToken, this.host.docId()), this.host.docId(), kind);
    const refused = this.stale(grant);
    if (refused) return refused;
    this.host.flush();
    this.host.links.set(kind, hash, sealed);
    const closed = this.host.closeRevoked();
    log("info", "link-rotated", { doc: this.host.docId(), kind, closed });
    const out: IssuedLink = { token, url: shareUrl(origin, this.host.docId(), kind, token) };
    return json(out);
  }

  /** A new owner link: every other holder of the old one loses owner rights at once (its
   * sockets are cut), and the share links stay as they are, sealed again under the new
   * owner key, so nobody else's link breaks. */
  private async rotateOwner({ grant, token: oldToken }: { grant: Grant; token: string }, origin: string): Promise<Response> {
    if (roleOfGrant(grant) !== "owner") return jsonError(403, "forbidden", "Only the owner can reset links");
    const token = newToken();
    const reset = await this.host.links.prepareOwnerReset(oldToken, token, this.host.docId());
    const refused = this.stale(grant);
    if (refused) return refused;
    this.host.flush();
    this.host.links.commitOwnerReset(reset);
    const closed = this.host.closeRevoked();
    log("info", "link-rotated", { doc: this.host.docId(), kind: "owner", closed });
    const out: IssuedLink = { token, url: shareUrl(origin, this.host.docId(), "owner", token) };
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
    const owner = grant.kind === "owner";
    const write = this.host.writerFor({ link: owner ? "owner" : "edit", name: `Imported by ${owner ? "the owner" : "an editor"}` });
    await applyBlocks(
      blocks,
      mode,
      (change) => write(() => change(this.host.doc().getXmlFragment(YDOC_CONTENT_FIELD))),
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
