/**
 * The one object every part of a document's room is given: the room itself (room.ts
 * implements it). Each stage of the socket path and each service the Durable Object
 * composes (history, lifecycle, AI, comments, files, the HTTP routes) reads what it
 * needs from here, instead of a set of closures of its own; the services below `room/`
 * in the layering declare the part they use as an interface, which this satisfies.
 *
 * The stages, in the order an update meets them (docs/ARCHITECTURE.md draws it):
 *   admit      admit.ts     the socket, then every message: room phase, link, size, rate
 *   frame      frame.ts     y-websocket and JSON frames, each to its handler
 *   check      apply.ts → update-check.ts + content-rules.ts, and the sender's rules
 *              (defense.ts: growth.ts budgets, identity-marks.ts, client-ids.ts)
 *   apply      apply.ts     one Yjs transaction per batch (batcher.ts), held updates (pending.ts)
 *   persist    persist.ts   the SQLite append, before anything is sent
 *   broadcast  broadcast.ts one walk of the connections: flow control and the send
 *   ack        acks.ts      "saved" once everything the sender sent before is stored
 * pipeline.ts runs apply → persist → broadcast → ack for each batch and server change.
 */
import type { SocketAuthor } from "../access/author";
import type { DocumentSize } from "./doc-size";
import type { Connection } from "partyserver";
import type * as Y from "yjs";
import type { Awareness } from "y-protocols/awareness";
import type { Role, ServerMessage } from "../../shared/protocol";
import type { LinkKind } from "../../shared/sharing";
import type { AiActivity } from "../ai/activity";
import type { AiAssist } from "../ai/assist";
import type { AiGate } from "../ai/gate";
import type { AiPolicyStore } from "../ai/policy";
import type { Threads } from "../comments/threads";
import type { Links } from "../access/links";
import type { DocHistory } from "../storage/history";
import type { Lifecycle } from "../storage/lifecycle";
import type { DocStore } from "../storage/store";
import type { SaveAcks } from "./acks";
import type { Applier } from "./apply";
import type { UpdateBatcher } from "./batcher";
import type { RoomDefense } from "./defense";
import type { ConnectionGuard } from "./guard";
import type { RoomPhase } from "./phase";
import type { Presence } from "./presence";
import type { ReadFlow } from "./read-flow";
import type { RoomRecovery } from "./recovery";
import type { ConnectionRegistry } from "./registry";
import type { SyncAnswers } from "./sync";

export interface RoomContext {
  docId(): string;
  readonly env: Env;
  readonly storage: DurableObjectStorage;
  readonly sql: SqlStorage;
  readonly bucket: R2Bucket;

  /** What the room can do now (phase.ts); changed only through the room. */
  readonly phase: RoomPhase;
  /** The live document and its presence (replaced when the room reloads). */
  doc(): Y.Doc;
  awareness(): Awareness;

  // Storage and access.
  readonly store: DocStore;
  readonly links: Links;
  readonly history: DocHistory;
  readonly lifecycle: Lifecycle;

  // The socket path.
  readonly conns: ConnectionRegistry;
  readonly guard: ConnectionGuard;
  readonly batcher: UpdateBatcher<Connection>;
  /** The document's bytes as MAX_DOCUMENT_BYTES counts them (doc-size.ts). */
  readonly size: DocumentSize;
  readonly applier: Applier<Connection>;
  /** The check stage's rules per sender: growth budgets, marks of identity. */
  readonly defense: RoomDefense<Connection>;
  readonly acks: SaveAcks<Connection>;
  readonly presence: Presence<Connection>;
  readonly readFlow: ReadFlow<Connection>;
  readonly recovery: RoomRecovery;
  readonly ai: AiAssist;
  /** The one gate every model call passes (AI assist and @AI in threads). */
  readonly aiGate: AiGate;
  /** The owner's AI policy for the document (ai/policy.ts). */
  readonly aiPolicy: AiPolicyStore;
  /** The owner's record of AI calls (ai/activity.ts). */
  readonly aiActivity: AiActivity;
  /** Comment threads (worker/comments), beside the document. */
  readonly threads: Threads;
  /** The answers to SyncStep1 (the whole document kept while it does not change). */
  readonly answers: SyncAnswers;

  /** The connection's role now (not at connect time): a reset link leaves it "viewer". */
  roleOf(conn: Connection): Role;
  /** The link the connection came with. */
  linkOf(conn: Connection): LinkKind;
  /** Who it writes as: its author key's hash and name (access/author.ts). */
  authorOf(conn: Connection): SocketAuthor;
  /** A JSON message to one connection. */
  send(conn: Connection, msg: ServerMessage): void;
  /** Applies every update received so far. */
  flush(): void;
  /** A change made by the server: one transaction, stored and broadcast like any edit.
   * Throws if the room is restarting or the change broke it. */
  serverChange(change: () => void, origin?: unknown): void;
  /** The same, written under one client id recorded as `by`'s (imports, restores). */
  writerFor(by: { link: "owner" | "edit"; name: string }): (change: () => void, origin?: unknown) => void;
  title(): string;
  /** Keeps the runtime from dropping a promise. */
  waitUntil(p: Promise<unknown>): void;
}

/** What the composition root (worker/Document.ts) builds around the room. */
export interface RoomServices {
  history: DocHistory;
  lifecycle: Lifecycle;
  ai: AiAssist;
  threads: Threads;
}
