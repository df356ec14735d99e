/**
 * The Durable Object behind one document: the composition root. It builds the room
 * (worker/room/room.ts: the live Y.Doc, the socket path's stages, the durability
 * pipeline) and the services around it, and forwards partyserver's events:
 *  - fetch: the gate (tokens, socket caps, deleted or absent documents) before anything
 *    loads; an upgrade that passes becomes a connection, a request goes to the routes;
 *  - onStart: the room loads the document (or wakes from hibernation);
 *  - onConnect / onMessage / onClose: the room's admit stage and what follows it;
 *  - onAlarm: the delete's steps, versions and R2 snapshots, the file sweep.
 * Nothing here is protocol logic; see docs/ARCHITECTURE.md for the pipeline.
 */
import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import { CloseCode } from "../shared/close-codes";
import { GRANT_HEADER, decodeGrant } from "./access/connections";
import { gate } from "./access/gate";
import { roleOfGrant } from "./access/links";
import { AiAssist } from "./ai/assist";
import { Threads } from "./comments/threads";
import { DocFiles } from "./files/doc-files";
import { jsonError } from "./lib/http";
import { errorMessage, log } from "./lib/log";
import { installMeter, meterEnabled } from "./lib/meter";
import { refuse } from "./lib/socket";
import { isServing } from "./room/phase";
import { Room } from "./room/room";
import { createDocument } from "./routes/create";
import { AuthorshipRoute } from "./routes/authorship";
import { answerDocument } from "./routes/document-routes";
import { aiActivityRoute } from "./routes/ai-activity";
import { healthRoute } from "./routes/health";
import { HistoryRoutes } from "./routes/history";
import { Manage } from "./routes/manage";
import { DocHistory } from "./storage/history";
import { Lifecycle } from "./storage/lifecycle";

export class Document extends Server<Env> {
  static override options = { hibernate: true };

  private readonly room: Room = new Room(this.ctx, this.env, (room) => ({
    /** Compaction, versions in R2, their alarms, recovery, the history routes. */
    history: new DocHistory(room),
    /** The delete's steps (storage/lifecycle.ts). */
    lifecycle: new Lifecycle(room),
    ai: new AiAssist(room),
    /** Comment threads (SQLite, beside the document) and their anchors (worker/comments). */
    threads: new Threads(room),
  }));
  /** Uploaded files, their sweep, and GET /export (worker/files, worker/content). */
  private readonly files = new DocFiles(this.room);
  private readonly manage = new Manage(this.room);
  private readonly authorship = new AuthorshipRoute(this.room);
  private readonly historyRoutes = new HistoryRoutes(() => ({
    ...this.room.history.routeHost(),
    doc: () => this.room.doc(),
    authors: () => this.room.defense.authors.view(),
    deleters: () => this.room.defense.deleters.lookup(),
  }));

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // One line per (re)start: shows in the logs how often rooms hibernate and wake.
    log("info", "wake", { doc: ctx.id.name });
    if (meterEnabled(env)) installMeter(ctx.storage, env.SNAPSHOTS, () => ctx.id.name ?? "");
  }

  override async onStart(): Promise<void> {
    await this.room.start(this.getConnections());
  }

  // ---------------------------------------------------------------- HTTP + upgrade

  override async fetch(request: Request): Promise<Response> {
    try {
      const passed = await gate(request, {
        sockets: () => ({
          all: this.ctx.getWebSockets().length,
          viewers: this.ctx.getWebSockets("viewer").length + this.ctx.getWebSockets("commenter").length,
        }),
        storage: this.ctx.storage,
        lifecycle: this.room.lifecycle,
        history: this.room.history,
        links: this.room.links,
        waitUntil: (p) => this.ctx.waitUntil(p),
      });
      return passed instanceof Response ? passed : await super.fetch(passed);
    } catch (err) {
      log("error", "fetch-failed", { doc: this.ctx.id.name, error: errorMessage(err) });
      // Never the stack: a socket gets a close code, a request a short JSON error.
      if (request.headers.get("upgrade")?.toLowerCase() === "websocket")
        return refuse(CloseCode.Unavailable, "Unexpected error; reconnecting");
      return jsonError(500, "internal", "Unexpected error");
    }
  }

  /** Tagged with its role, so the gate can count viewers (ctx.getWebSockets("viewer")). */
  override getConnectionTags(_conn: Connection, ctx: ConnectionContext): string[] {
    const grant = decodeGrant(ctx.request.headers.get(GRANT_HEADER));
    return grant ? [roleOfGrant(grant)] : [];
  }

  override onRequest(request: Request): Promise<Response> {
    const { room } = this;
    return answerDocument(request, {
      docId: () => room.docId(),
      create: (r) => createDocument(r, room),
      manage: this.manage,
      files: this.files,
      history: this.historyRoutes,
      threads: room.threads,
      docHealth: (r) => healthRoute(r, room),
      authorship: (r) => this.authorship.answer(r),
      aiActivity: (r) => aiActivityRoute(r, room),
      health: () => room.health(),
    });
  }

  /** One alarm slot serves both: finishing a delete, and the version/R2 snapshot work
   * of a live document. */
  override async onAlarm(): Promise<void> {
    await this.room.lifecycle.onAlarm();
    if (isServing(this.room.phase)) {
      await this.room.history.onAlarm(this.room.openConnections());
      await this.files.afterAlarm();
    }
  }

  // ---------------------------------------------------------------- sockets

  override onConnect(conn: Connection, ctx: ConnectionContext): void {
    this.room.connect(conn, ctx.request);
  }

  override onMessage(conn: Connection, message: WSMessage): void {
    this.room.receive(conn, message);
  }

  /** partyserver checks that every incoming message's socket is one of its own by
   * deserializing the socket's attachment (a structured clone per message; the most
   * self time of any function per write in bench/profile-do.ts). A socket the room
   * registered (after its start, so partyserver's own start has run) has passed it. */
  override async webSocketMessage(ws: WebSocket, message: WSMessage): Promise<void> {
    const conn = this.room.conns.socket(ws);
    if (conn) this.room.receive(conn, message);
    else await super.webSocketMessage(ws, message);
  }

  override onClose(conn: Connection, code: number): void {
    this.room.closed(conn, code);
  }
}
