/**
 * What happens to a request before the room (and so the document load) sees it: deleted
 * documents answer 410/4410 and finish an interrupted delete; an empty DO whose
 * document is in R2 is rebuilt from there; WebSocket upgrades need a current link,
 * checked here so that a refused socket never joins the room or makes it buffer.
 */
import { EPOCH_HEADER, EPOCH_PARAM } from "../storage/epoch";
import { CloseCode } from "../../shared/close-codes";
import { randomId } from "../../shared/ids";
import { MAX_CONNECTIONS_PER_DOCUMENT, MAX_VIEWER_CONNECTIONS_PER_DOCUMENT } from "../../shared/limits";
import { canWrite } from "../../shared/protocol";
import { CloseReason } from "../../shared/sharing";
import type { AccessAnswer } from "../../shared/api";
import { json, jsonError } from "../lib/http";

/** The Durable Object's path of GET /api/docs/<id>/access. */
export const ACCESS_PATH = "/access";
import { AUTHOR_HEADER, encodeAuthor, socketAuthor } from "./author";
import { GRANT_HEADER, encodeGrant } from "./connections";
import type { DocHistory } from "../storage/history";
import { docPhase, type Lifecycle } from "../storage/lifecycle";
import { roleOfGrant, type Links } from "./links";
import { refuse } from "../lib/socket";

/** 128 random bits: unguessable and unique per socket. */
const CONNECTION_ID_BYTES = 16;

export interface GateDeps {
  /** Open sockets in the room, and how many of them cannot edit (viewers' and commenters'). */
  sockets(): { all: number; viewers: number };
  storage: DurableObjectStorage;
  lifecycle: Lifecycle;
  history: DocHistory;
  links: Links;
  waitUntil(p: Promise<unknown>): void;
}

/** The request to hand to partyserver (upgrades carry the verified grant), or the refusal. */
export async function gate(request: Request, d: GateDeps): Promise<Request | Response> {
  const url = new URL(request.url);
  const phase = docPhase(d.storage);
  const gone = phase === "deleting" || phase === "deleted";
  if (phase === "deleting") d.waitUntil(d.lifecycle.finish());
  const creating = request.method === "POST" && url.pathname === "/create";
  const exists = phase === "live" || (!gone && !creating && (await d.history.recover()));
  if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
    if (gone) return refuse(CloseCode.Gone, CloseReason.DocumentDeleted);
    if (!exists) return refuse(CloseCode.NotFound, "No such document");
    const token = url.searchParams.get("token");
    if (!token) return refuse(CloseCode.Unauthorized, "A token is required");
    const grant = await d.links.grantFor(token);
    if (!grant) return refuse(CloseCode.Forbidden, "This link does not work");
    const open = d.sockets();
    if (
      open.all >= MAX_CONNECTIONS_PER_DOCUMENT ||
      (!canWrite(roleOfGrant(grant)) && open.viewers >= MAX_VIEWER_CONNECTIONS_PER_DOCUMENT)
    ) {
      return refuse(CloseCode.Unavailable, "This document has too many people connected; retrying");
    }
    const author = await socketAuthor(url.searchParams);
    if ("refused" in author) return refuse(CloseCode.BadRequest, author.refused);
    // Set here, after the check, overwriting anything the client sent.
    const headers = new Headers(request.headers);
    headers.set(GRANT_HEADER, encodeGrant(grant));
    headers.set(AUTHOR_HEADER, encodeAuthor(author));
    // The epoch of the client's copy, checked once the room has loaded (storage/epoch.ts).
    headers.set(EPOCH_HEADER, url.searchParams.get(EPOCH_PARAM) ?? "");
    // partyserver takes the connection id from `_pk`: the server picks it, so two
    // sockets can never share one (and its budgets, counters and flow control). The
    // rest of the query (the token) stays out of the URL partyserver stores.
    const target = new URL(url.pathname, url.origin);
    target.searchParams.set("_pk", randomId(CONNECTION_ID_BYTES));
    return new Request(target, { method: request.method, headers });
  }
  // GET /access answers what a token opens with 200 whatever the answer (routes/manage.ts).
  const probe = request.method === "GET" && url.pathname === ACCESS_PATH;
  if (gone) return probe ? json({ access: "deleted" } satisfies AccessAnswer) : jsonError(410, "gone", "This document was deleted");
  if (!exists && !creating)
    return probe ? json({ access: "missing" } satisfies AccessAnswer) : jsonError(404, "not-found", "No such document");
  if (exists && creating) return jsonError(409, "exists", "Document already exists");
  return request;
}
