/**
 * The platform floor: the least a y-partyserver Durable Object costs when served the
 * way Quire is (wrangler dev → workerd). A plain YServer with hibernation, as Quire's
 * Document is, and nothing else: no persistence, no auth, no custom messages. The
 * bench compares Quire with it to tell Quire's own cost from the platform's.
 *
 * Routed exactly like worker/index.ts (getByName + fetch on /parties/document/<room>)
 * rather than with partyserver's routePartykitRequest, which first makes a setName
 * RPC on every connection: Quire does not, so that hop would not be part of the floor.
 */
import { YServer } from "y-partyserver";

interface Env {
  Document: DurableObjectNamespace<Document>;
}

export class Document extends YServer {
  static override options = { hibernate: true };
}

const PARTY_ROUTE = /^\/parties\/document\/([^/]+)$/;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/api/health") return Response.json({ ok: true, service: "bare" });
    const room = PARTY_ROUTE.exec(pathname)?.[1];
    if (!room) return new Response("not found", { status: 404 });
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("upgrade required", { status: 426 });
    return env.Document.getByName(decodeURIComponent(room)).fetch(request);
  },
} satisfies ExportedHandler<Env>;
