/**
 * One document's room: the live Y.Doc and its presence, the phase, the connection
 * registry and the stages of the socket path (context.ts lists them). It is the
 * RoomContext every stage and service is given. The Durable Object (worker/Document.ts)
 * composes it with the services below it and forwards partyserver's events here:
 * start (load, or wake from hibernation), connect, message, close.
 */
import { DocumentSize } from "./doc-size";
import type { Connection, WSMessage } from "partyserver";
import type * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD, YDOC_META_MAP, YDOC_META_TITLE } from "../../shared/api";
import type { ThreadChange } from "../../shared/comments";
import {
  CUSTOM_MESSAGE_PREFIX,
  ErrorCode,
  ServerMessageType,
  type ReadOnlyReason,
  type Role,
  type ServerMessage,
} from "../../shared/protocol";
import type { LinkKind } from "../../shared/sharing";
import type { SocketAuthor } from "../access/author";
import { closeAllDeleted, closeRevoked, currentRole, grantOf } from "../access/connections";
import { Links } from "../access/links";
import type { AiPolicy } from "../../shared/ai";
import { AiActivity } from "../ai/activity";
import type { AiAssist } from "../ai/assist";
import { AiGate } from "../ai/gate";
import { AiPolicyStore } from "../ai/policy";
import type { AiModel } from "../comments/ai-reply";
import type { Threads } from "../comments/threads";
import { type AiEnv, endpointOf, resolveProvider } from "../ai/provider";
import type { AiDisclosure } from "../content/ai-disclosure";
import type { AiAttributionClaim } from "../ai/outcome";
import { restoreInto } from "../content/restore";
import { titleOf } from "../content/title";
import { errorMessage, log } from "../lib/log";
import type { DocHistory } from "../storage/history";
import { docPhase, type Lifecycle } from "../storage/lifecycle";
import { loadDocument } from "../storage/load";
import { MetaKey } from "../storage/meta-keys";
import type { DocMetaObject, ThreadsCopy } from "../storage/r2";
import { DocStore } from "../storage/store";
import { SaveAcks } from "./acks";
import { admitMessage, admitSocket } from "./admit";
import { Applier } from "./apply";
import { UpdateBatcher } from "./batcher";
import { defaultRules } from "./content-rules";
import type { RoomContext, RoomServices } from "./context";
import { readMessage } from "./frame";
import { closeConnection } from "./close";
import { RoomDefense } from "./defense";
import { ConnectionGuard } from "./guard";
import { isReplacing, isServing, readOnlyReason, type RoomPhase } from "./phase";
import { Pipeline } from "./pipeline";
import { Presence } from "./presence";
import { ReadFlow } from "./read-flow";
import { RoomRecovery } from "./recovery";
import { ConnectionRegistry } from "./registry";
import { SyncAnswers, liveDoc } from "./sync";
import { RoomAuthorship, type WrittenFor } from "./authorship";

/** Origin of a restore applied through the API. */
const RESTORE_ORIGIN = "quire-restore";

export class Room implements RoomContext {
  readonly env: Env & AiEnv;
  readonly storage: DurableObjectStorage;
  readonly sql: SqlStorage;
  readonly bucket: R2Bucket;
  readonly store: DocStore;
  readonly links: Links;
  readonly conns = new ConnectionRegistry();
  readonly guard = new ConnectionGuard<Connection>(
    () => this.docId(),
    (conn, msg) => this.send(conn, msg),
  );
  readonly acks: SaveAcks<Connection> = new SaveAcks<Connection>(this);
  readonly applier: Applier<Connection> = new Applier<Connection>(this, defaultRules());
  readonly readFlow = new ReadFlow<Connection>(this);
  readonly presence = new Presence<Connection>(this);
  readonly recovery: RoomRecovery = new RoomRecovery(this);
  private readonly pipeline = new Pipeline(this);
  private readonly authorship = new RoomAuthorship(this);
  readonly answers = new SyncAnswers(() => this.doc());
  /** The document's bytes as MAX_DOCUMENT_BYTES counts them (live state near the limit). */
  readonly size: DocumentSize;
  readonly batcher = new UpdateBatcher<Connection>((batch) => this.pipeline.runBatch(batch));
  /** Every model call of the document passes here: assist and @AI share its limits. */
  readonly aiGate = new AiGate(Date.now, () => this.aiPolicy.current());
  /** The owner's AI policy (on, suggest, off), which the gate asks before every call. */
  readonly aiPolicy: AiPolicyStore;
  /** The owner's record of every AI call (GET …/ai/activity). */
  readonly aiActivity: AiActivity;
  /** Who introduced each client id, the growth budgets, marks of identity: the check
   * stage's rules per sender (defense.ts). */
  readonly defense: RoomDefense<Connection>;
  readonly history: DocHistory;
  readonly lifecycle: Lifecycle;
  readonly ai: AiAssist;
  readonly threads: Threads;
  private current = liveDoc();
  private now: RoomPhase = { kind: "starting" };

  constructor(
    private readonly state: DurableObjectState,
    env: Env,
    services: (room: Room) => RoomServices,
  ) {
    this.env = env;
    this.storage = state.storage;
    this.sql = state.storage.sql;
    this.bucket = env.SNAPSHOTS;
    this.store = new DocStore(state.storage);
    this.links = new Links(this.store);
    this.size = new DocumentSize(() => this.doc(), this.store);
    this.defense = new RoomDefense<Connection>(this);
    this.aiPolicy = new AiPolicyStore(this.store, (ai) => this.aiPolicyChanged(ai));
    this.aiActivity = new AiActivity(this.sql);
    ({ history: this.history, lifecycle: this.lifecycle, ai: this.ai, threads: this.threads } = services(this));
  }

  // ---------------------------------------------------------------- the context

  docId(): string {
    return this.state.id.name ?? "";
  }

  get phase(): RoomPhase {
    return this.now;
  }

  setPhase(phase: RoomPhase): void {
    this.now = phase;
  }

  doc(): Y.Doc {
    return this.current.doc;
  }

  awareness(): awarenessProtocol.Awareness {
    return this.current.awareness;
  }

  roleOf(conn: Connection): Role {
    return currentRole(conn.state, this.links) ?? "viewer";
  }

  linkOf(conn: Connection): LinkKind {
    return grantOf(conn.state)?.kind ?? "view";
  }

  /** AI-written text in the document as it stands (exports disclose it). */
  aiText(): AiDisclosure | null {
    return this.authorship.aiText();
  }

  /** An accepted AI answer's client id, claimed by its requester (authorship.ts). */
  attribute(conn: Connection, claim: AiAttributionClaim): void {
    this.authorship.attribute(conn, claim);
  }

  authorOf(conn: Connection): SocketAuthor {
    return this.conns.state(conn).author ?? {};
  }

  /** The threads' copy in R2 (storage/history.ts writes it at the snapshot alarms). */
  threadsCopy(): ThreadsCopy {
    return this.threads.copy;
  }

  send(conn: Connection, msg: ServerMessage): void {
    try {
      conn.send(CUSTOM_MESSAGE_PREFIX + JSON.stringify(msg));
    } catch {
      /* closing: its close handler cleans up */
    }
  }

  flush(): void {
    this.batcher.flush();
  }

  serverChange(change: () => void, origin?: unknown): void {
    this.pipeline.serverChange(change, origin);
  }

  title(): string {
    return titleOf(this.doc());
  }

  setTitle(title: string): void {
    this.serverChange(() => this.doc().getMap(YDOC_META_MAP).set(YDOC_META_TITLE, title));
  }

  waitUntil(p: Promise<unknown>): void {
    this.state.waitUntil(p);
  }

  /** docs/<id>/meta.json for documents created before R2 snapshots existed. */
  metaObject(): DocMetaObject {
    const createdAt = Number(this.store.getMeta(MetaKey.CreatedAt) ?? Date.now());
    return { format: 1, createdAt, title: this.title(), tokenHashes: this.links.hashes(), sealedLinks: this.links.sealedValues() };
  }

  health(): { readOnly: boolean; loadFailed: boolean; restarting: boolean } {
    return {
      readOnly: this.now.kind === "read-only",
      loadFailed: this.now.kind === "load-failed",
      restarting: isReplacing(this.now),
    };
  }

  /** Open connections, except `except`. */
  openConnections(except?: string): number {
    return this.conns.count(except);
  }

  isConnection(id: string): boolean {
    return this.conns.get(id) !== undefined;
  }

  /** Tells every connection that a comment thread changed, and has R2's copy follow. */
  announce(threadId: string, change: ThreadChange): void {
    this.history.threadsChanged();
    for (const conn of this.conns.all()) this.send(conn, { type: ServerMessageType.ThreadChanged, threadId, change });
  }

  /** The configured AI model, or null. */
  aiModel(): AiModel {
    const p = resolveProvider(this.env);
    return p.kind === "none" ? null : { model: p.model, modelId: p.modelId, endpoint: endpointOf(p) };
  }

  /** The owner changed the AI policy: everyone's AI controls follow, and with AI off
   * the answers being written stop. */
  private aiPolicyChanged(ai: AiPolicy): void {
    if (ai === "off") this.ai.stopAll();
    for (const conn of this.conns.all()) this.send(conn, { type: ServerMessageType.AiPolicy, ai });
  }

  /** Closes, with 4403, every connection whose link is no longer current. Keeps R2's
   * copy of the link hashes current: a document recovered from R2 must not bring a
   * reset or switched-off link back to life. */
  closeRevoked(): number {
    this.waitUntil(this.history.tokensChanged());
    return closeRevoked(this.conns.all(), this.links);
  }

  // ---------------------------------------------------------------- lifecycle

  /** partyserver's onStart: the first event of this instance, cold or after a wake
   * (`sockets`: the ones hibernation kept, with their attachments). */
  async start(sockets: Iterable<Connection>): Promise<void> {
    // A document being (or already) deleted is never loaded: only its alarm runs.
    const stored = docPhase(this.storage);
    if (stored === "deleting" || stored === "deleted") {
      this.now = { kind: "deleting" };
      return;
    }
    await this.load();
    if (!isServing(this.now)) return;
    this.conns.rebuild(sockets);
    this.acks.woke(this.conns.all());
    this.presence.restore();
    // Answered by the runtime without waking a hibernating room.
    this.state.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    // After the load, not inside it: a big log must not delay the first sync.
    this.history.compactSoon();
  }

  /** Loads the document from storage into the (fresh) live Y.Doc and sets the phase.
   * Never writes after a failed load: every connection is refused, storage stays as it was. */
  private async load(): Promise<void> {
    try {
      this.store.migrate();
      this.history.migrate();
      // The roots the editor uses exist before any update is checked against them.
      this.doc().getXmlFragment(YDOC_CONTENT_FIELD);
      this.doc().getMap(YDOC_META_MAP);
      this.recovery.init();
      const outcome = await loadDocument({
        doc: this.doc(),
        store: this.store,
        docId: this.docId(),
        newestR2State: () => this.history.newestR2State(),
      });
      if (outcome.kind === "failed") throw new Error(outcome.error);
      this.defense.loaded();
      await this.history.afterLoad();
      this.pipeline.watch(this.doc());
      this.now = outcome.readOnly ? { kind: "read-only", reason: outcome.readOnly } : { kind: "live" };
    } catch (err) {
      const error = errorMessage(err);
      log("error", "load-failed", { doc: this.docId(), error });
      this.now = { kind: "load-failed", error };
    }
  }

  /** A fresh document loaded from storage in place of a broken one (recovery.ts): what
   * was queued or held goes (its senders were cut), and presence starts over. */
  async reload(): Promise<void> {
    this.batcher.clear();
    this.applier.reset();
    this.acks.reset();
    this.presence.reset();
    this.answers.changed();
    this.current.awareness.destroy();
    this.current = liveDoc();
    await this.load();
  }

  /** A document that becomes writable again (a restore repaired or shrank it) tells
   * everyone connected, with a fresh welcome. */
  setReadOnly(reason: ReadOnlyReason | null): void {
    if (!isServing(this.now) || readOnlyReason(this.now) === reason) return;
    this.now = reason ? { kind: "read-only", reason } : { kind: "live" };
    if (reason !== null) return;
    this.acks.writable();
    const epoch = this.history.epoch.current();
    for (const conn of this.conns.all())
      this.send(conn, {
        type: ServerMessageType.Welcome,
        role: this.roleOf(conn),
        connectionId: conn.id,
        epoch,
        ai: this.aiPolicy.current(),
      });
  }

  /** Restoring a version (history routes). A document that did not load at all is
   * replaced by the version (its old rows kept in quarantine) and the room restarts
   * on it; any other is changed like any edit (a damaged one is repaired by it). */
  restore(version: Y.Doc, by: Role): void {
    if (this.now.kind === "load-failed") {
      this.store.replaceAll(Y.encodeStateAsUpdateV2(version));
      log("warn", "repaired-from-version", { doc: this.docId() });
      this.recovery.restartFromStorage();
      return;
    }
    const writer = this.writerFor({
      link: by === "owner" ? "owner" : "edit",
      name: `Restored by ${by === "owner" ? "the owner" : "an editor"}`,
    });
    writer(() => restoreInto(this.doc(), version), RESTORE_ORIGIN);
  }

  /** Changes the server writes for someone, recorded as theirs (authorship.ts). */
  writerFor(by: WrittenFor): (change: () => void, origin?: unknown) => void {
    return this.authorship.writerFor(by);
  }

  /** "Rebuild from this version": `work` replaces the stored state (recovery.ts). */
  whileRebuilding<T>(work: () => Promise<T>): Promise<T> {
    return this.recovery.whileRebuilding(work);
  }

  /** Storage was wiped (storage/lifecycle.ts): what is cached from it goes. */
  wiped(): void {
    this.links.invalidate();
    this.threads.store.invalidate();
    this.defense.registry.invalidate();
    this.defense.ai.invalidate();
    this.defense.deleters.invalidate();
    this.aiActivity.invalidate();
  }

  /** The delete began (storage/lifecycle.ts): nothing is applied or stored from now
   * on, and everyone is told (4410). */
  deleting(): void {
    this.now = { kind: "deleting" };
    closeAllDeleted(this.conns.all());
  }

  // ---------------------------------------------------------------- sockets

  /** A socket that passed the gate (access/gate.ts). */
  connect(conn: Connection, request: Request): void {
    try {
      admitSocket(this, conn, request);
    } catch (err) {
      // partyserver would send the stack to the client; a short reason is all it gets.
      log("error", "connect-failed", { doc: this.docId(), conn: conn.id, error: errorMessage(err) });
      conn.close(1011, "Unexpected error");
    }
  }

  /** Every message: admit, then the frame stage (which hands updates on to the batcher). */
  receive(conn: Connection, message: WSMessage): void {
    if (this.guard.hasClosed(conn)) return;
    try {
      const size = typeof message === "string" ? message.length : message.byteLength;
      const budgets = admitMessage(this, conn, size);
      if (budgets) readMessage(this, conn, message, budgets);
    } catch (err) {
      // Never throw into the runtime: one line in the log, a typed error to the sender.
      log("error", "message-failed", { doc: this.docId(), conn: conn.id, error: errorMessage(err) });
      this.guard.reject(conn, ErrorCode.Internal, "The server could not handle that message");
    }
  }

  /** A socket closed: the close path (close.ts). */
  closed(conn: Connection, code: number): void {
    this.defense.claims.closed(conn.id);
    closeConnection(this, conn, code);
  }
}
