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
import { YDOC_CONTENT_FIELD, YDOC_META_MAP, YDOC_META_TITLE } from "../shared/api";
import { CloseCode } from "../shared/close-codes";
import { MAX_DOCUMENT_BYTES, UPDATED_AT_RESOLUTION_MS } from "../shared/limits";
import { ErrorCode, ServerMessageType, type Role, type ServerMessage } from "../shared/protocol";
import { AiAssist } from "./ai/assist";
import { AiGate } from "./ai/gate";
import { type AiEnv, resolveProvider } from "./ai/provider";
import { isPoisoned } from "./lib/yjs";
import { Applier, type Incoming } from "./room/apply";
import { UpdateBatcher } from "./room/batcher";
import {
  admitLive,
  admitNew,
  closeAllDeleted,
  closeRevoked,
  currentRole,
  GRANT_HEADER,
  decodeGrant,
  grantOf,
  type GrantState,
} from "./access/connections";
import { createDocument } from "./routes/create";
import { gate } from "./access/gate";
import { ConnectionGuard } from "./room/guard";
import { RoomDefense } from "./room/defense";
import { DocHistory } from "./storage/history";
import { EPOCH_HEADER, clientEpoch } from "./storage/epoch";
import { DocumentSize } from "./room/doc-size";
import { Inbound } from "./room/inbound";
import { defaultRules } from "./room/content-rules";
import { Lifecycle, docPhase } from "./storage/lifecycle";
import { Links, roleOfGrant } from "./access/links";
import { READ_ONLY_MESSAGES, loadDocument, type ReadOnlyReason } from "./storage/load";
import { RoomRecovery } from "./room/recovery";
import { restoreInto } from "./content/restore";
import { LiveConnections } from "./room/live-connections";
import { answerDocument } from "./routes/document-routes";
import { Threads } from "./comments/threads";
import { HistoryRoutes } from "./routes/history";
import { healthRoute } from "./routes/health";
import { Manage } from "./routes/manage";
import { SERVER_ORIGIN } from "./room/origin";
import { refuse } from "./lib/socket";
import { Presence } from "./room/presence";
import { ReadFlow } from "./room/read-flow";
import { DocStore } from "./storage/store";
import { MetaKey } from "./storage/meta-keys";
import { titleOf } from "./content/title";
import type { DocMetaObject } from "./storage/r2";
import { DocFiles } from "./files/doc-files";
import { jsonError } from "./lib/http";
import { errorMessage, log } from "./lib/log";
import { installMeter, meterEnabled } from "./lib/meter";

type ConnState = GrantState & { holding?: boolean; epoch?: number };
type SharedDocument = InstanceType<typeof YServer>["document"];

/** Origin of a restore applied through the API. */
const RESTORE_ORIGIN = "quire-restore";

/** What a connection is told when its held updates had to be dropped. */
const DROPPED: Record<string, string> = {
  connection: "Too many of your changes are waiting for changes this document does not have; reconnect to resync",
  document: "Too many changes are waiting for changes this document does not have; reconnect to resync",
  expired: "Your changes waited too long for changes this document does not have; reconnect to resync",
  yjs: "Your change depends on changes this document does not have; reconnect to resync",
};

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
    restore: (version) => this.restoreVersion(version),
    health: () => ({ readOnly: this.readOnly !== null, loadFailed: this.loadError !== null }),
    threads: () => this.threads.copy,
  });
  private loadError: string | null = null;
  /** Why the loaded document cannot be changed now (see load.ts), or null. */
  private readOnly: ReadOnlyReason | null = null;
  /** Checked, batched application of client updates (apply.ts). */
  private readonly applier = new Applier<Connection>({
    doc: () => this.document,
    rules: defaultRules(),
    refusedClients: () => this.recovery.refusedClients(),
    // One sender's batch carries its connection, so the broadcast skips it (echoSkip).
    origin: (batch) => (batch.every((p) => p.conn === batch[0]!.conn) ? batch[0]!.conn : SERVER_ORIGIN),
    before: (batch) => this.history.noteBatch(batch.map((p) => p.conn)),
    refuse: (conn, reason, close) =>
      close
        ? this.guard.closeWith(conn, close.code, close.error, close.message)
        : this.guard.closeWith(conn, CloseCode.Unprocessable, ErrorCode.InvalidUpdate, `The server refused a change: ${reason}.`),
    contexts: () => this.defense.batch(),
    dropped: (conn, why) => {
      this.deferredAcks.delete(conn.id);
      this.guard.closeWith(conn, CloseCode.Conflict, ErrorCode.MissingDependencies, DROPPED[why] ?? DROPPED.yjs!);
    },
    holding: (conn, holding) => this.setHolding(conn, holding),
    poisoned: (batch, error) => this.poisoned(batch, error),
  });
  /** Who introduced each client id, the budgets of new ones, marks of identity (room/defense.ts). */
  private readonly defense = new RoomDefense<Connection>({
    sql: this.ctx.storage.sql,
    store: this.store,
    docId: () => this.name,
    doc: () => this.document,
    sender: (conn) => ({ conn: conn.id, link: grantOf(conn.state)?.kind ?? "", owner: this.roleOf(conn) === "owner" }),
    threadExists: (id) => this.threads.store.thread(id) !== null,
  });
  /** Sync-checks waiting for a connection's held updates (pending.ts) to be applied. */
  private readonly deferredAcks = new Map<string, number>();
  private readonly recovery = new RoomRecovery({
    ctx: this.ctx,
    store: this.store,
    docId: () => this.name,
    connections: () => this.getConnections(),
    reload: () => this.reload(),
  });
  private readonly batcher = new UpdateBatcher<Connection>((batch) => this.applyBatch(batch));
  private readonly links = new Links(this.store);
  private readonly lifecycle = new Lifecycle({
    storage: this.ctx.storage,
    bucket: this.env.SNAPSHOTS,
    docId: () => this.name,
    closeAll: () => closeAllDeleted(this.getConnections()),
    wiped: () => {
      this.links.invalidate();
      this.threads.store.invalidate();
      this.defense.registry.invalidate();
    },
  });
  private readonly manage = new Manage({
    docId: () => this.name,
    doc: () => this.document,
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
  /** Every model call of the document passes here: assist and @AI share its limits. */
  private readonly aiGate = new AiGate();
  /** Comment threads (SQLite, beside the document) and their anchors (worker/comments). */
  private readonly threads = new Threads({
    docId: () => this.name,
    doc: () => this.document,
    links: this.links,
    sql: this.ctx.storage.sql,
    flush: () => this.batcher.flush(),
    serverChange: (change) => this.serverChange(change),
    isConnection: (id) => this.getConnection(id) !== undefined,
    aiModel: () => {
      const p = resolveProvider(this.env as Env & AiEnv);
      return p.kind === "none" ? null : { model: p.model, modelId: p.modelId };
    },
    aiGate: this.aiGate,
    waitUntil: (p) => this.ctx.waitUntil(p),
    announce: (threadId, change) => {
      this.history.threadsChanged();
      for (const conn of this.live.all()) this.send(conn, { type: ServerMessageType.ThreadChanged, threadId, change });
    },
  });
  private lastUpdatedAtMs = 0;
  private readonly guard = new ConnectionGuard(
    () => this.name,
    (conn, msg) => this.send(conn, msg),
  );
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
    linkOf: (conn) => grantOf(conn.state)?.kind ?? "view",
    gate: this.aiGate,
    send: (conn, msg) => this.send(conn, msg),
    waitUntil: (p) => this.ctx.waitUntil(p),
  });
  /** Uploaded files, their sweep, and GET /export (worker/files, worker/content). */
  private readonly files = new DocFiles({
    bucket: this.env.SNAPSHOTS,
    sql: this.ctx.storage.sql,
    docId: () => this.name,
    doc: () => this.document,
    title: () => this.title(),
    links: this.links,
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
    size: new DocumentSize(() => this.document, this.store),
    heldBytes: () => this.applier.held.bytes,
    ack: (conn, seq) => this.ack(conn, seq),
    refuseIfReadOnly: (conn) => this.refuseIfReadOnly(conn),
  });

  // ---------------------------------------------------------------- lifecycle

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // One line per (re)start: shows in the logs how often rooms hibernate and wake.
    log("info", "wake", { doc: ctx.id.name });
    if (meterEnabled(env)) installMeter(ctx.storage, env.SNAPSHOTS, () => ctx.id.name ?? "");
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
      // The roots the editor uses exist before any update is checked against them.
      this.document.getXmlFragment(YDOC_CONTENT_FIELD);
      this.document.getMap(YDOC_META_MAP);
      this.recovery.init();
      const outcome = await loadDocument({
        doc: this.document,
        store: this.store,
        docId: this.name,
        newestR2State: () => this.history.newestR2State(),
      });
      if (outcome.kind === "failed") throw new Error(outcome.error);
      this.readOnly = outcome.readOnly;
      this.defense.loaded();
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

  /** The connection whose own change is being broadcast: it has it already. Echoing a
   * writer's changes back doubled what it had to read (a 20 MB paste came back as
   * 20 MB and the writer was dropped as a slow reader). Set by the first update
   * listener (persist), cleared by the last (after YServer's broadcast; see onStart). */
  private echoSkip: Connection | null = null;

  /** The live document broke (an update Yjs could not take, or a failed append, which
   * leaves the update listeners unfinished): recovery.ts restarts the room. */
  private poisoned(batch: Incoming<Connection>[], error: unknown): void {
    this.echoSkip = null;
    this.recovery.poisoned(batch, error);
  }

  /** A fresh document loaded from storage in place of a broken one (recovery.ts):
   * what was queued or held goes (its senders were cut), YServer's listeners and ours
   * are attached to the new document, and presence follows its new awareness. */
  private async reload(): Promise<void> {
    this.batcher.clear();
    this.applier.reset();
    this.deferredAcks.clear();
    this.refusedWrites.clear();
    this.readOnly = null;
    this.loadError = null;
    this.echoSkip = null;
    // YServer's document class (not exported by y-partyserver), as it builds its own.
    const SharedDoc = this.document.constructor as new () => SharedDocument;
    // YServer declares `document` read-only; replacing it is this one place's job.
    (this as unknown as { document: SharedDocument }).document = new SharedDoc();
    this.presence.rebind(this.document.awareness);
    await this.onStart();
  }

  override async onStart(props?: Record<string, unknown>): Promise<void> {
    await super.onStart(props);
    this.document.on("update", () => {
      this.echoSkip = null;
    });
  }

  private readonly persist = (update: Uint8Array, origin: unknown): void => {
    this.echoSkip = isConnection(origin) ? origin : null;
    // A damaged log is not appended to: the repair (a restore) rewrites it whole.
    if (this.lifecycle.deleting || this.readOnly === "damaged") return;
    try {
      this.store.append(update);
    } catch (err) {
      // Thrown on purpose: it stops the broadcast listener after this one, and the
      // unfinished transaction makes the room restart from storage (recovery.ts).
      this.recovery.storageFailed(err);
      throw err;
    }
    const now = Date.now();
    if (now - this.lastUpdatedAtMs >= UPDATED_AT_RESOLUTION_MS) {
      this.store.setMeta(MetaKey.UpdatedAt, now);
      this.lastUpdatedAtMs = now;
    }
    this.history.noteEdit();
  };

  // ---------------------------------------------------------------- HTTP + upgrade

  override async fetch(request: Request): Promise<Response> {
    try {
      const passed = await gate(request, {
        sockets: () => ({
          all: this.ctx.getWebSockets().length,
          viewers: this.ctx.getWebSockets("viewer").length + this.ctx.getWebSockets("commenter").length,
        }),
        storage: this.ctx.storage,
        lifecycle: this.lifecycle,
        history: this.history,
        links: this.links,
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
    return answerDocument(request, {
      docId: () => this.name,
      create: (r) =>
        createDocument(r, { docId: () => this.name, document: this.document, store: this.store, links: this.links, history: this.history }),
      manage: this.manage,
      files: this.files,
      history: this.historyRoutes,
      threads: this.threads,
      docHealth: (r) => healthRoute(r, { doc: () => this.document, store: this.store, links: this.links, registry: this.defense.registry }),
      health: () => ({ loadFailed: this.loadError !== null, restarting: this.recovery.restarting }),
    });
  }

  private readonly historyRoutes = new HistoryRoutes(() =>
    this.history.routeHost(this.links, this.openConnections(), (work) => this.whileRebuilding(work)),
  );

  /** A rebuild (storage/history.ts) runs with everyone cut (4503: they reconnect) and the
   * room taking nothing, then the room reloads from the rebuilt storage. Reconnecting
   * clients are then of an older epoch: welcomed and closed (admit). */
  private async whileRebuilding<T>(work: () => Promise<T>): Promise<T> {
    this.batcher.flush();
    this.recovery.restarting = true;
    for (const conn of this.getConnections()) closeQuietly(conn, CloseCode.Unavailable, "Rebuilding the document; reconnecting");
    try {
      return await work();
    } finally {
      this.recovery.restartFromStorage();
    }
  }

  private title(): string {
    return titleOf(this.document);
  }

  /** docs/<id>/meta.json for documents created before R2 snapshots existed. */
  private metaObject(): DocMetaObject {
    const createdAt = Number(this.store.getMeta(MetaKey.CreatedAt) ?? Date.now());
    return { format: 1, createdAt, title: this.title(), tokenHashes: this.links.hashes(), sealedLinks: this.links.sealedValues() };
  }

  private openConnections(except?: string): number {
    let n = 0;
    for (const c of this.getConnections()) if (c.id !== except && c.readyState === WebSocket.READY_STATE_OPEN) n += 1;
    return n;
  }

  /** A change made by the server (title, imported content, a restore): one
   * transaction, stored by the append listener and broadcast like any edit. Throws if
   * the room is restarting or the change broke it. In a damaged document (only a
   * restore gets here) the whole repaired state replaces the damaged storage. */
  private serverChange(change: () => void, origin: unknown = SERVER_ORIGIN): void {
    if (this.recovery.restarting) throw new Error("the room is restarting");
    let error: unknown = null;
    try {
      this.document.transact(change, origin);
    } catch (err) {
      error = err;
    }
    if (error !== null || isPoisoned(this.document)) {
      this.poisoned([], error);
      throw error ?? new Error("the change left the document unusable");
    }
    if (this.readOnly === "damaged") {
      this.store.replaceAll(Y.encodeStateAsUpdateV2(this.document));
      log("warn", "repaired", { doc: this.name });
      this.setReadOnly(null);
    } else if (this.readOnly === "too-large") {
      // The snapshot counts the old size until the log is folded into a new one.
      void this.history.compactNow().then(() => {
        if (this.store.storedBytes() <= MAX_DOCUMENT_BYTES) this.setReadOnly(null);
      });
    }
    this.history.compactIfDue();
  }

  /** A document that becomes writable again (a restore repaired or shrank it) tells
   * everyone connected, with a fresh welcome. */
  private setReadOnly(reason: ReadOnlyReason | null): void {
    if (this.readOnly === reason) return;
    this.readOnly = reason;
    if (reason !== null) return;
    this.refusedWrites.clear();
    for (const conn of this.getConnections()) {
      this.send(conn, {
        type: ServerMessageType.Welcome,
        role: this.roleOf(conn),
        connectionId: conn.id,
        epoch: this.history.epoch.current(),
      });
    }
  }

  /** Restoring a version (history routes). A document that did not load at all is
   * replaced by the version (its old rows kept in quarantine) and the room restarts
   * on it; any other is changed like any edit (serverChange repairs damaged storage). */
  private restoreVersion(version: Y.Doc): void {
    if (this.loadError) {
      this.store.replaceAll(Y.encodeStateAsUpdateV2(version));
      log("warn", "repaired-from-version", { doc: this.name });
      this.recovery.restartFromStorage();
      return;
    }
    this.serverChange(() => restoreInto(this.document, version), RESTORE_ORIGIN);
  }

  /** One alarm slot serves both: finishing a delete, and the version/R2 snapshot work
   * of a live document. */
  override async onAlarm(): Promise<void> {
    await this.lifecycle.onAlarm();
    if (!this.loadError && !this.lifecycle.deleting && !this.recovery.restarting) {
      await this.history.onAlarm(this.openConnections());
      await this.files.afterAlarm();
    }
  }

  // ---------------------------------------------------------------- connections

  override onConnect(conn: Connection, ctx: ConnectionContext): void {
    try {
      this.admit(conn, ctx);
    } catch (err) {
      // partyserver would send the stack to the client; a short reason is all it gets.
      log("error", "connect-failed", { doc: this.name, conn: conn.id, error: errorMessage(err) });
      conn.close(1011, "Unexpected error");
    }
  }

  private admit(conn: Connection, ctx: ConnectionContext): void {
    if (this.loadError || this.recovery.restarting) {
      conn.close(this.loadError ? CloseCode.LoadFailed : CloseCode.Unavailable, this.unavailableReason());
      return;
    }
    const state = admitNew(conn, ctx.request.headers.get(GRANT_HEADER), this.links, this.lifecycle.deleting);
    if (!state) return;
    const role: Role = state.role ?? "viewer";
    const epoch = this.history.epoch.current();
    // A copy from before a rebuild is never synced: the client learns the epoch and goes.
    if (clientEpoch(ctx.request.headers.get(EPOCH_HEADER)) !== epoch) {
      this.send(conn, { type: ServerMessageType.Welcome, role, connectionId: conn.id, epoch });
      conn.close(CloseCode.Rebuilt, "This document was rebuilt; reloading it");
      return;
    }
    conn.setState((prev: ConnState | null) => ({ ...(prev ?? {}), ...state, epoch }));
    super.onConnect(conn, ctx);
    const readOnly = this.readOnly ? { reason: this.readOnly, message: READ_ONLY_MESSAGES[this.readOnly] } : undefined;
    this.send(conn, { type: ServerMessageType.Welcome, role, connectionId: conn.id, epoch, ...(readOnly ? { readOnly } : {}) });
  }

  /** The close reason for a room that cannot serve: short (close reasons are ≤ 123 bytes). */
  private unavailableReason(): string {
    return this.loadError ? "The document could not be loaded; its owner can restore a version" : "Restarting; reconnect";
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
    this.applier.forget(conn);
    this.deferredAcks.delete(conn.id);
    this.readFlow.forget(conn);
    this.ai.closed(conn);
    // A room going down must not touch its broken document (Yjs can loop on it).
    if (this.recovery.restarting) return;
    super.onClose(conn, code, reason, wasClean);
    // A deleted document has no tables left to snapshot from.
    if (!this.loadError && !this.lifecycle.deleting && this.openConnections(conn.id) === 0) this.history.onLastLeave();
  }

  override onMessage(conn: Connection, message: WSMessage): void {
    if (this.loadError || this.recovery.restarting) {
      conn.close(this.loadError ? CloseCode.LoadFailed : CloseCode.Unavailable, this.unavailableReason());
      return;
    }
    const admittedAt = (conn.state as ConnState | null)?.epoch;
    if (admittedAt !== undefined && admittedAt !== this.history.epoch.current()) {
      conn.close(CloseCode.Rebuilt, "This document was rebuilt; reloading it");
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
   * and one broadcast message per peer, however many updates it holds (apply.ts
   * checks each first). */
  private applyBatch(batch: Incoming<Connection>[]): void {
    this.applier.apply(batch);
    this.history.compactIfDue();
  }

  /** A read-only document refuses every update, and never tells its sender "saved". */
  private refuseIfReadOnly(conn: Connection): boolean {
    if (!this.readOnly) return false;
    this.guard.reject(conn, ErrorCode.DocumentReadOnly, READ_ONLY_MESSAGES[this.readOnly]);
    this.refusedWrites.add(conn.id);
    return true;
  }

  /** Connections whose changes a read-only document refused: never told "saved". */
  private readonly refusedWrites = new Set<string>();

  /** Answers a sync-check: "saved" once nothing the connection sent before it is held
   * aside or was refused. */
  private ack(conn: Connection, seq: number): void {
    this.applier.expire();
    if (this.applier.held.has(conn)) {
      this.deferredAcks.set(conn.id, seq);
      return;
    }
    if ((conn.state as ConnState | null)?.holding) {
      // It held updates that a restart or hibernation forgot: they are not stored.
      this.guard.closeWith(conn, CloseCode.Conflict, ErrorCode.MissingDependencies, DROPPED.expired!);
      return;
    }
    if (this.refusedWrites.has(conn.id)) {
      this.guard.reject(conn, ErrorCode.DocumentReadOnly, "Your changes were not saved: this document is read-only");
      return;
    }
    this.send(conn, { type: ServerMessageType.Saved, seq });
  }

  private setHolding(conn: Connection, holding: boolean): void {
    conn.setState((prev: ConnState | null) => ({ ...(prev ?? {}), holding }));
    if (holding) return;
    const seq = this.deferredAcks.get(conn.id);
    if (seq === undefined) return;
    this.deferredAcks.delete(conn.id);
    this.send(conn, { type: ServerMessageType.Saved, seq });
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
    if (tag !== undefined) return super.getConnections<TState>(tag);
    const all = this.live.all() as Connection<TState>[];
    const skip = this.echoSkip;
    return skip ? all.filter((c) => c.id !== skip.id) : all;
  }

  private send(conn: Connection, msg: ServerMessage): void {
    this.sendCustomMessage(conn, JSON.stringify(msg));
  }
}

function closeQuietly(conn: Connection, code: number, reason: string): void {
  try {
    conn.close(code, reason);
  } catch {
    /* already closing */
  }
}

function isConnection(origin: unknown): origin is Connection {
  return typeof origin === "object" && origin !== null && typeof (origin as { id?: unknown }).id === "string" && "send" in origin;
}
