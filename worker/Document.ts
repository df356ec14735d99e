/**
 * The Durable Object behind one document: y-partyserver's YServer (sync, awareness,
 * hibernation) with Quire's rules on top:
 *  - every accepted update is appended to SQLite in the event that applies it, before
 *    the broadcast (the output gate holds sends until the commit), never on a debounce;
 *  - a "saved" acknowledgement answers a client's sync-check only after that;
 *  - tokens decide roles, viewers cannot write, bad input is answered to its sender only.
 */
import type { Connection, ConnectionContext, WSMessage } from "partyserver";
import { YServer } from "y-partyserver";
import * as Y from "yjs";
import { YDOC_META_MAP, YDOC_META_TITLE } from "../shared/api";
import { CloseCode } from "../shared/close-codes";
import { UPDATED_AT_RESOLUTION_MS } from "../shared/limits";
import { ErrorCode, ServerMessageType, type Role, type ServerMessage } from "../shared/protocol";
import { AiAssist } from "./ai/assist";
import type { AiEnv } from "./ai/provider";
import { UpdateBatcher, type Pending } from "./document/batcher";
import {
  admitLive,
  admitNew,
  closeAllDeleted,
  closeRevoked,
  currentRole,
  GRANT_HEADER,
  type GrantState,
} from "./document/connections";
import { createDocument } from "./document/create";
import { exportResponse } from "./document/export";
import { gate } from "./document/gate";
import { ConnectionGuard } from "./document/guard";
import { DocHistory } from "./document/history";
import { Inbound } from "./document/inbound";
import { Lifecycle, docPhase } from "./document/lifecycle";
import { Links } from "./document/links";
import { LiveConnections } from "./document/live-connections";
import { Manage } from "./document/manage";
import { SERVER_ORIGIN } from "./document/origin";
import { Presence } from "./document/presence";
import { ReadFlow } from "./document/read-flow";
import { DocStore } from "./document/store";
import { titleOf } from "./document/title";
import type { DocMetaObject } from "./storage/r2";
import { jsonError } from "./http";
import { errorMessage, log } from "./log";

type ConnState = GrantState;

export class Document extends YServer {
  static override options = { hibernate: true };

  private readonly live = new LiveConnections(
    () => this.ctx.getWebSockets(),
    () => super.getConnections(),
  );
  private readonly store = new DocStore(this.ctx.storage);
  /** Compaction, versions in R2, their alarms, recovery, the history routes. */
  private readonly history = new DocHistory({
    storage: this.ctx.storage,
    bucket: this.env.SNAPSHOTS,
    store: this.store,
    doc: () => this.document,
    docId: () => this.ctx.id.name ?? "",
    metaObject: () => this.metaObject(),
    flush: () => this.batcher.flush(),
  });
  private loadError: string | null = null;
  private readonly batcher = new UpdateBatcher<Connection>((batch) => this.applyBatch(batch));
  private readonly links = new Links(this.store);
  private readonly lifecycle = new Lifecycle({
    storage: this.ctx.storage,
    bucket: this.env.SNAPSHOTS,
    docId: () => this.name,
    closeAll: () => closeAllDeleted(this.getConnections()),
    wiped: () => this.links.invalidate(),
  });
  private readonly manage = new Manage({
    docId: () => this.name,
    document: this.document,
    store: this.store,
    links: this.links,
    lifecycle: this.lifecycle,
    flush: () => this.batcher.flush(),
    serverChange: (change) => this.serverChange(change),
    title: () => this.title(),
    setTitle: (title) => this.serverChange(() => this.document.getMap(YDOC_META_MAP).set(YDOC_META_TITLE, title)),
    closeRevoked: () => {
      // Keep R2's copy of the link hashes current: a document recovered from R2 must
      // not bring a reset or switched-off link back to life.
      this.ctx.waitUntil(this.history.tokensChanged());
      return closeRevoked(this.getConnections(), this.links);
    },
  });
  private lastUpdatedAtMs = 0;
  private readonly guard = new ConnectionGuard(() => this.name, (conn, msg) => this.send(conn, msg));
  /** Drops readers that stop reading (workerd shows no send buffer; see read-flow.ts). */
  private readonly readFlow = new ReadFlow<Connection>({
    check: (conn, id) => this.send(conn, { type: ServerMessageType.ReadCheck, id }),
    drop: (conn, unread) =>
      this.guard.closeWith(conn, CloseCode.TooSlow, ErrorCode.TooSlow, `Fell ${unread} bytes behind reading; reconnect to resync`),
  });
  private readonly presence = new Presence(
    this.document.awareness,
    () => this.getConnections(),
    (conns, bytes) => this.readFlow.charge(conns, bytes),
  );
  private readonly ai = new AiAssist({
    env: this.env as Env & AiEnv,
    docId: () => this.name,
    doc: () => this.document,
    roleOf: (conn) => this.roleOf(conn),
    send: (conn, msg) => this.send(conn, msg),
    waitUntil: (p) => this.ctx.waitUntil(p),
  });
  private readonly inbound = new Inbound({
    docId: () => this.name,
    guard: this.guard,
    batcher: this.batcher,
    store: this.store,
    presence: this.presence,
    readFlow: this.readFlow,
    ai: this.ai,
    roleOf: (conn) => this.roleOf(conn),
    send: (conn, msg) => this.send(conn, msg),
    answerSyncStep1: (conn, frame) => super.onMessage(conn, frame),
  });

  // ---------------------------------------------------------------- lifecycle

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // One line per (re)start: shows in the logs how often rooms hibernate and wake.
    log("info", "wake", { doc: ctx.id.name });
  }

  /** Runs before YServer attaches its broadcast listener, so the durable append
   * listener added here fires first for every update. */
  override async onLoad(): Promise<void> {
    // A document being (or already) deleted is never loaded: only its alarm runs.
    const phase = docPhase(this.ctx.storage);
    if (phase === "deleting" || phase === "deleted") {
      this.lifecycle.deleting = true;
      return;
    }
    try {
      this.store.migrate();
      this.history.migrate();
      const { pending } = await this.store.loadInto(this.document);
      if (pending) log("warn", "load-pending", { doc: this.name });
      await this.history.afterLoad();
    } catch (err) {
      // Never write after a failed load: the listener below is not attached, every
      // connection is refused, and storage stays exactly as it was.
      this.loadError = errorMessage(err);
      log("error", "load-failed", { doc: this.name, error: this.loadError });
      return;
    }
    this.document.on("update", this.persist);
    // Also before YServer's broadcast listener: a reader dropped here is skipped by it.
    this.document.on("update", (update: Uint8Array) => this.readFlow.charge(this.getConnections(), update.byteLength + 4));
    this.presence.restore();
    // Answered by the runtime without waking a hibernating room.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    // After the load, not inside it: a big log must not delay the first sync.
    this.history.compactSoon();
  }

  private readonly persist = (update: Uint8Array): void => {
    if (this.lifecycle.deleting) return;
    this.store.append(update);
    const now = Date.now();
    if (now - this.lastUpdatedAtMs >= UPDATED_AT_RESOLUTION_MS) {
      this.store.setMeta("updated_at", now);
      this.lastUpdatedAtMs = now;
    }
    this.history.noteEdit();
  };

  // ---------------------------------------------------------------- HTTP + upgrade

  override async fetch(request: Request): Promise<Response> {
    try {
      const passed = await gate(request, {
        storage: this.ctx.storage,
        lifecycle: this.lifecycle,
        history: this.history,
        links: this.links,
        waitUntil: (p) => this.ctx.waitUntil(p),
      });
      return passed instanceof Response ? passed : await super.fetch(passed);
    } catch (err) {
      log("error", "fetch-failed", { doc: this.ctx.id.name, error: errorMessage(err) });
      return jsonError(500, "internal", "Unexpected error");
    }
  }

  override async onRequest(request: Request): Promise<Response> {
    if (this.loadError) return jsonError(503, "load-failed", "The document could not be loaded");
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/create") {
      return createDocument(request, {
        docId: () => this.name,
        document: this.document,
        store: this.store,
        links: this.links,
        history: this.history,
      });
    }
    if (request.method === "GET" && url.pathname === "/export") {
      return exportResponse(url, await this.links.authorize(request), this.document, this.title());
    }
    const managed = await this.manage.handle(request, url);
    if (managed) return managed;
    const history = await this.history.route(request, url, (r) => this.links.authorize(r), this.openConnections());
    return history ?? jsonError(404, "not-found", "No such route");
  }

  private title(): string {
    return titleOf(this.document);
  }

  /** docs/<id>/meta.json for documents created before R2 snapshots existed. */
  private metaObject(): DocMetaObject {
    const createdAt = Number(this.store.getMeta("created_at") ?? Date.now());
    return { format: 1, createdAt, title: this.title(), tokenHashes: this.links.hashes() };
  }

  private openConnections(except?: string): number {
    let n = 0;
    for (const c of this.getConnections()) if (c.id !== except && c.readyState === WebSocket.READY_STATE_OPEN) n += 1;
    return n;
  }

  /** A change made by the server (title, imported content): one transaction, stored
   * by the append listener and broadcast like any edit. */
  private serverChange(change: () => void): void {
    this.document.transact(change, SERVER_ORIGIN);
    this.history.compactIfDue();
  }

  /** One alarm slot serves both: finishing a delete, and the version/R2 snapshot work
   * of a live document. */
  override async onAlarm(): Promise<void> {
    await this.lifecycle.onAlarm();
    if (!this.loadError && !this.lifecycle.deleting) await this.history.onAlarm(this.openConnections());
  }

  // ---------------------------------------------------------------- connections

  override onConnect(conn: Connection, ctx: ConnectionContext): void {
    if (this.loadError) {
      conn.close(CloseCode.LoadFailed, "The document could not be loaded; try again later");
      return;
    }
    const state = admitNew(conn, ctx.request.headers.get(GRANT_HEADER), this.links, this.lifecycle.deleting);
    if (!state) return;
    const role: Role = state.role ?? "viewer";
    conn.setState((prev: ConnState | null) => ({ ...(prev ?? {}), ...state }));
    super.onConnect(conn, ctx);
    this.send(conn, { type: ServerMessageType.Welcome, role, connectionId: conn.id });
  }

  /** A client that closes without a status code arrives here as 1005, a code that
   * cannot be sent back; partyserver would then fail to echo the close and the client
   * would hang until its own timeout. Echo a normal closure instead. */
  override async webSocketClose(ws: WebSocket, code: number, reason: string, wasClean: boolean): Promise<void> {
    const echo = code === 1005 || code === 1006 || code === 1015 ? 1000 : code;
    return super.webSocketClose(ws, echo, reason, wasClean);
  }

  override onClose(conn: Connection, code: number, reason: string, wasClean: boolean): void {
    this.guard.forget(conn);
    this.readFlow.forget(conn);
    this.ai.closed(conn);
    super.onClose(conn, code, reason, wasClean);
    // A deleted document has no tables left to snapshot from.
    if (!this.loadError && !this.lifecycle.deleting && this.openConnections(conn.id) === 0) this.history.onLastLeave();
  }

  override onMessage(conn: Connection, message: WSMessage): void {
    if (this.loadError) {
      conn.close(CloseCode.LoadFailed, "The document could not be loaded; try again later");
      return;
    }
    try {
      if (!admitLive(conn, this.links, this.lifecycle.deleting)) return;
    } catch (err) {
      log("error", "admit-failed", { doc: this.name, conn: conn.id, error: errorMessage(err) });
      return;
    }
    this.inbound.handle(conn, message);
  }

  /** Applies a batch as one Yjs transaction: one "update" event, so one durable row
   * and one broadcast message per peer, however many updates it holds. */
  private applyBatch(batch: Pending<Connection>[]): void {
    const origin = batch.length === 1 ? batch[0]!.conn : SERVER_ORIGIN;
    this.history.noteBatch(batch.map((p) => p.conn));
    this.document.transact(() => {
      for (const { conn, update } of batch) {
        try {
          Y.applyUpdate(this.document, update, conn);
        } catch (err) {
          this.guard.reject(conn, ErrorCode.BadFrame, "The update could not be applied", undefined, errorMessage(err));
        }
      }
    }, origin);
    this.history.compactIfDue();
  }

  // ---------------------------------------------------------------- helpers

  /** The connection's role now (not at connect time): a reset or switched-off link
   * leaves it none, which reads as "viewer" so nothing it sends is applied. */
  private roleOf(conn: Connection): Role {
    return currentRole(conn.state, this.links) ?? "viewer";
  }

  /** Every open connection, as partyserver's, but cheap enough for every broadcast
   * (see live-connections.ts). Tagged lookups stay partyserver's. */
  override getConnections<TState = unknown>(tag?: string): Iterable<Connection<TState>> {
    return tag === undefined ? (this.live.all() as Connection<TState>[]) : super.getConnections<TState>(tag);
  }

  private send(conn: Connection, msg: ServerMessage): void {
    this.sendCustomMessage(conn, JSON.stringify(msg));
  }
}
