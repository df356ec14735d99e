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
import {
  DEFAULT_TITLE,
  YDOC_CONTENT_FIELD,
  YDOC_META_MAP,
  YDOC_META_TITLE,
  createDocRequestSchema,
  isExportFormat,
} from "../shared/api";
import { CloseCode } from "../shared/close-codes";
import { CloseReason } from "../shared/sharing";
import { AiClientMessageType } from "../shared/ai";
import { readFrame } from "../shared/frames";
import {
  MAX_DOCUMENT_BYTES,
  MAX_MESSAGE_BYTES,
  UPDATED_AT_RESOLUTION_MS,
} from "../shared/limits";
import {
  CUSTOM_MESSAGE_PREFIX,
  ClientMessageType,
  ErrorCode,
  ServerMessageType,
  canWrite,
  parseClientMessage,
  type Role,
  type ServerMessage,
} from "../shared/protocol";
import { AiAssist } from "./ai/assist";
import type { AiEnv } from "./ai/provider";
import { checkAwareness } from "./document/awareness";
import { Presence } from "./document/presence";
import { LINK_ROLE, bearerToken } from "./document/auth";
import { UpdateBatcher, type Pending } from "./document/batcher";
import {
  GRANT_HEADER,
  closeAllDeleted,
  closeRevoked,
  currentRole,
  decodeGrant,
  encodeGrant,
  grantOf,
  grantState,
  type GrantState,
} from "./document/connections";
import { exportDoc } from "./document/export";
import { Lifecycle, docPhase } from "./document/lifecycle";
import { Links, issueAll } from "./document/links";
import { Manage } from "./document/manage";
import { insertBlocks, parseMarkdown, type ParsedBlocks } from "./document/markdown";
import { DocHistory } from "./document/history";
import type { DocMetaObject } from "./storage/r2";
import { ConnectionGuard, type Budgets } from "./document/guard";
import { ReadFlow } from "./document/read-flow";
import { isEmptyUpdate, isStateVector, refuse, toBytes } from "./document/wire";
import { DocStore } from "./document/store";
import { titleOf } from "./document/title";
import { jsonError, json, text } from "./http";
import { errorMessage, log } from "./log";

/** Origin of changes the server makes itself (title, imported content). */
const SERVER_ORIGIN = "quire-server";

type ConnState = GrantState;


export class Document extends YServer {
  static override options = { hibernate: true };

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
      const url = new URL(request.url);
      const phase = docPhase(this.ctx.storage);
      // Deleted or being deleted: answer 410 and never load; finish an interrupted delete.
      const gone = phase === "deleting" || phase === "deleted";
      if (phase === "deleting") this.ctx.waitUntil(this.lifecycle.finish());
      const creating = request.method === "POST" && url.pathname === "/create";
      // An empty DO whose document is in R2 (wiped, migrated) is rebuilt from there.
      const exists = phase === "live" || (!gone && !creating && (await this.history.recover()));
      if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
        if (gone) return refuse(CloseCode.Gone, CloseReason.DocumentDeleted);
        if (!exists) return refuse(CloseCode.NotFound, "No such document");
        const token = url.searchParams.get("token");
        if (!token) return refuse(CloseCode.Unauthorized, "A token is required");
        const grant = await this.links.grantFor(token);
        if (!grant) return refuse(CloseCode.Forbidden, "This link does not work");
        // Set here, after the check, overwriting anything the client sent.
        const headers = new Headers(request.headers);
        headers.set(GRANT_HEADER, encodeGrant(grant));
        return await super.fetch(new Request(request, { headers }));
      }
      if (gone) return jsonError(410, "gone", "This document was deleted");
      if (!exists && !creating) return jsonError(404, "not-found", "No such document");
      if (exists && creating) return jsonError(409, "exists", "Document already exists");
      return await super.fetch(request);
    } catch (err) {
      log("error", "fetch-failed", { doc: this.ctx.id.name, error: errorMessage(err) });
      return jsonError(500, "internal", "Unexpected error");
    }
  }

  override async onRequest(request: Request): Promise<Response> {
    if (this.loadError) return jsonError(503, "load-failed", "The document could not be loaded");
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/create") return this.create(request);
    if (request.method === "GET" && url.pathname === "/export") return this.export(request, url);
    const managed = await this.manage.handle(request, url);
    if (managed) return managed;
    const history = await this.history.route(request, url, (r) => this.authorize(r), this.openConnections());
    return history ?? jsonError(404, "not-found", "No such route");
  }

  private async create(request: Request): Promise<Response> {
    const parsed = createDocRequestSchema.safeParse(await request.json());
    if (!parsed.success) return jsonError(400, "bad-request", "Invalid create request");
    const title = parsed.data.title || DEFAULT_TITLE;
    let content: ParsedBlocks | null = null;
    try {
      if (parsed.data.markdown) content = parseMarkdown(parsed.data.markdown);
    } catch (err) {
      log("warn", "markdown-rejected", { doc: this.name, error: errorMessage(err) });
      return jsonError(400, "bad-markdown", "The Markdown could not be turned into document content");
    }
    const issued = await issueAll();
    const createdAt = Date.now();
    // R2 first: a document exists only once it can be recovered from R2 alone.
    const tokenHashes = { owner: issued.owner.hash, edit: issued.edit.hash, view: issued.view.hash };
    if (!(await this.history.created({ format: 1, createdAt, title, tokenHashes }))) {
      return jsonError(503, "storage-unavailable", "Storage is unavailable; try again");
    }
    // All in one synchronous block: one commit, so a crash leaves no half-made document.
    this.links.create(issued);
    this.store.setMeta("created_at", createdAt);
    this.history.markCreated();
    this.document.transact(() => {
      this.document.getMap(YDOC_META_MAP).set(YDOC_META_TITLE, title);
      if (content) insertBlocks(this.document.getXmlFragment(YDOC_CONTENT_FIELD), content, "append");
    }, SERVER_ORIGIN);
    log("info", "created", { doc: this.name });
    return json(
      { title, ownerToken: issued.owner.token, editToken: issued.edit.token, viewToken: issued.view.token },
      201,
    );
  }

  /** The role a request's bearer token grants, or the error to answer with. */
  private async authorize(request: Request): Promise<Role | Response> {
    const token = bearerToken(request);
    if (!token) return jsonError(401, "unauthorized", "Send Authorization: Bearer <edit or view token>");
    const grant = await this.links.grantFor(token);
    return grant ? LINK_ROLE[grant.kind] : jsonError(403, "forbidden", "This token does not open this document");
  }

  private async export(request: Request, url: URL): Promise<Response> {
    const role = await this.authorize(request);
    if (role instanceof Response) return role;
    const format = url.searchParams.get("format") ?? "md";
    if (!isExportFormat(format)) return jsonError(400, "bad-format", "format must be md, html, txt or json");
    const { body, contentType } = exportDoc(this.document, format, this.title());
    return text(body, contentType);
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
    // Re-checked here: a reset that landed between the token check and now wins.
    const grant = decodeGrant(ctx.request.headers.get(GRANT_HEADER));
    if (this.lifecycle.deleting) {
      conn.close(CloseCode.Gone, CloseReason.DocumentDeleted);
      return;
    }
    if (!grant || !this.links.isCurrent(grant)) {
      conn.close(CloseCode.Forbidden, CloseReason.LinkRevoked);
      return;
    }
    const state = grantState(grant);
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
    try {
      if (this.loadError) {
        conn.close(CloseCode.LoadFailed, "The document could not be loaded; try again later");
        return;
      }
      if (!this.admit(conn)) return;
      if (typeof message === "string") {
        this.onText(conn, message);
        return;
      }
      const bytes = toBytes(message);
      if (bytes.byteLength > MAX_MESSAGE_BYTES) {
        this.guard.closeWith(conn, CloseCode.TooLarge, ErrorCode.TooLarge, `Frames are limited to ${MAX_MESSAGE_BYTES} bytes`);
        return;
      }
      const buckets = this.guard.budgetsFor(conn);
      if (buckets.messages.take() > 0) {
        this.guard.closeWith(conn, CloseCode.TooManyRequests, ErrorCode.RateLimited, "Too many messages");
        return;
      }
      const frame = readFrame(bytes);
      if (!frame) {
        this.guard.reject(conn, ErrorCode.BadFrame, "Not a valid y-websocket frame");
        return;
      }
      switch (frame.kind) {
        case "update":
        case "sync-step2":
          this.onUpdate(conn, frame.update);
          return;
        case "sync-step1":
          if (!isStateVector(frame.stateVector)) {
            this.guard.reject(conn, ErrorCode.BadFrame, "Malformed state vector");
            return;
          }
          this.batcher.flush();
          super.onMessage(conn, bytes);
          return;
        case "awareness":
          this.onAwareness(conn, buckets, frame.update);
          return;
        case "query-awareness":
          return;
      }
    } catch (err) {
      // Never throw into the runtime: one line in the log, a typed error to the sender.
      log("error", "message-failed", { doc: this.name, conn: conn.id, error: errorMessage(err) });
      this.guard.reject(conn, ErrorCode.Internal, "The server could not handle that message");
    }
  }

  private onUpdate(conn: Connection, update: Uint8Array): void {
    if (isEmptyUpdate(update)) return;
    if (!canWrite(this.roleOf(conn))) {
      this.guard.reject(conn, ErrorCode.ReadOnly, "This link is view-only; the change was not applied");
      return;
    }
    if (this.store.storedBytes() + this.batcher.queuedBytes + update.byteLength > MAX_DOCUMENT_BYTES) {
      this.guard.closeWith(conn, CloseCode.TooLarge, ErrorCode.DocumentTooLarge, "The document has reached its size limit");
      return;
    }
    this.batcher.push(conn, update);
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

  private onAwareness(conn: Connection, buckets: Budgets, update: Uint8Array): void {
    const checked = checkAwareness(update, !canWrite(this.roleOf(conn)));
    if (!checked) {
      this.guard.reject(conn, ErrorCode.BadFrame, "Malformed awareness update");
      return;
    }
    this.batcher.flush();
    this.presence.receive(conn, checked, buckets.awareness.take() === 0);
  }


  private onText(conn: Connection, raw: string): void {
    const msg = raw.startsWith(CUSTOM_MESSAGE_PREFIX)
      ? parseClientMessage(raw.slice(CUSTOM_MESSAGE_PREFIX.length))
      : null;
    if (!msg) {
      this.guard.reject(conn, ErrorCode.BadMessage, "Unknown or malformed message");
      return;
    }
    switch (msg.type) {
      case ClientMessageType.SyncCheck:
        // Everything this connection sent before the check has been applied (and so
        // appended) once the queue is flushed; the output gate delivers this ack only
        // after that append is committed to disk.
        this.batcher.flush();
        this.send(conn, { type: ServerMessageType.Saved, seq: msg.seq });
        return;
      case ClientMessageType.ReadAck:
        this.readFlow.ack(conn, msg.id);
        return;
      case AiClientMessageType.Request:
        this.ai.request(conn, msg);
        return;
      case AiClientMessageType.Stop:
        this.ai.stop(conn, msg.requestId);
        return;
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The connection's role now (not at connect time): a reset or switched-off link
   * leaves it none, which reads as "viewer" so nothing it sends is applied. */
  private roleOf(conn: Connection): Role {
    return currentRole(conn.state, this.links) ?? "viewer";
  }

  /** Cuts a connection whose link was reset or whose document was deleted. */
  private admit(conn: Connection): boolean {
    if (this.lifecycle.deleting) {
      conn.close(CloseCode.Gone, CloseReason.DocumentDeleted);
      return false;
    }
    if (currentRole(conn.state, this.links) !== null) return true;
    // A socket admitted before grants were recorded (an older deploy) has no link to
    // check: ask it to reconnect (a normal close, so the client retries) rather than
    // telling it its link was revoked.
    if (!grantOf(conn.state)) conn.close(1000, "reconnect");
    else conn.close(CloseCode.Forbidden, CloseReason.LinkRevoked);
    return false;
  }

  private send(conn: Connection, msg: ServerMessage): void {
    this.sendCustomMessage(conn, JSON.stringify(msg));
  }

}
