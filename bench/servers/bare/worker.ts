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
  /** "1" for the durable floor (spec.ts passes it with --var). */
  DURABLE_APPEND?: string;
}

export class Document extends YServer<Env> {
  static override options = { hibernate: true };

  /** The durable floor only: each update is appended to SQLite in the event that
   * applies it, so workerd's output gate holds the broadcast until the commit, the rule
   * Quire keeps. This listener is attached before YServer's broadcast one, as Quire's
   * is. No batching, snapshots or loading: only the cost of that commit is added. */
  override async onLoad(): Promise<void> {
    if (this.env.DURABLE_APPEND !== "1") return;
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL)");
    this.document.on("update", (update: Uint8Array) => {
      sql.exec("INSERT INTO updates (data) VALUES (?)", update);
    });
  }
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
