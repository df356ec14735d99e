/**
 * Everything a connection sends, after it was admitted: frame size and rate budgets,
 * y-websocket frames (updates go to the batcher, state vectors to YServer, presence to
 * the merged presence broadcast) and Quire's JSON messages. Bad input gets a typed
 * error to its sender only; nothing here throws into the runtime.
 */
import type { Connection, WSMessage } from "partyserver";
import { AiClientMessageType } from "../../shared/ai";
import { CloseCode } from "../../shared/close-codes";
import { readFrame } from "../../shared/frames";
import { EMPTY_UPDATE_COST_MESSAGES, MAX_DOCUMENT_BYTES, MAX_MESSAGE_BYTES, REJECTED_FRAME_COST_MESSAGES } from "../../shared/limits";
import {
  CUSTOM_MESSAGE_PREFIX,
  ClientMessageType,
  ErrorCode,
  canWrite,
  parseClientMessage,
  type Role,
  type ServerMessage,
} from "../../shared/protocol";
import type { AiAssist } from "../ai/assist";
import { errorMessage, log } from "../lib/log";
import { checkAwareness } from "./awareness";
import type { DocumentSize } from "./doc-size";
import { SIZE_MESSAGE } from "./growth";
import type { UpdateBatcher } from "./batcher";
import type { Budgets, ConnectionGuard } from "./guard";
import type { Presence } from "./presence";
import type { ReadFlow } from "./read-flow";
import type { DocStore } from "../storage/store";
import { isEmptyUpdate, isStateVector, toBytes } from "./wire";

export interface InboundDeps {
  docId(): string;
  guard: ConnectionGuard;
  batcher: UpdateBatcher<Connection>;
  store: DocStore;
  presence: Presence;
  readFlow: ReadFlow<Connection>;
  ai: AiAssist;
  roleOf(conn: Connection): Role;
  send(conn: Connection, msg: ServerMessage): void;
  /** YServer's own answer to a sync step 1 (a sync step 2 from the current state). */
  answerSyncStep1(conn: Connection, frame: Uint8Array): void;
  /** The document's bytes as MAX_DOCUMENT_BYTES counts them (doc-size.ts). */
  size: DocumentSize;
  /** Bytes of updates held aside for missing dependencies (they count as stored). */
  heldBytes(): number;
  /** Answers a sync-check once everything the connection sent before it is durable. */
  ack(conn: Connection, seq: number): void;
  /** Refuses the update if the whole document is read-only (true when it did). */
  refuseIfReadOnly(conn: Connection): boolean;
}

export class Inbound {
  constructor(private readonly d: InboundDeps) {}

  handle(conn: Connection, message: WSMessage): void {
    if (this.d.guard.hasClosed(conn)) return;
    try {
      if (typeof message === "string") {
        // UTF-16 units, not bytes: within 3× of the UTF-8 size, close enough for a cap.
        if (this.admit(conn, message.length)) this.onText(conn, message);
        return;
      }
      const bytes = toBytes(message);
      const budgets = this.admit(conn, bytes.byteLength);
      if (budgets) this.onFrame(conn, bytes, budgets);
    } catch (err) {
      // Never throw into the runtime: one line in the log, a typed error to the sender.
      log("error", "message-failed", { doc: this.d.docId(), conn: conn.id, error: errorMessage(err) });
      this.d.guard.reject(conn, ErrorCode.Internal, "The server could not handle that message");
    }
  }

  /** Size and rate limits for every frame, text or binary; closes the connection past them. */
  private admit(conn: Connection, size: number): Budgets | null {
    if (size > MAX_MESSAGE_BYTES) {
      this.d.guard.closeWith(conn, CloseCode.TooLarge, ErrorCode.TooLarge, `Frames are limited to ${MAX_MESSAGE_BYTES} bytes`);
      return null;
    }
    const budgets = this.d.guard.budgetsFor(conn);
    if (budgets.messages.take() > 0) {
      this.d.guard.closeWith(conn, CloseCode.TooManyRequests, ErrorCode.RateLimited, "Too many messages");
      return null;
    }
    return budgets;
  }

  private onFrame(conn: Connection, bytes: Uint8Array, buckets: Budgets): void {
    const frame = readFrame(bytes);
    if (!frame) {
      this.d.guard.reject(conn, ErrorCode.BadFrame, "Not a valid y-websocket frame");
      return;
    }
    switch (frame.kind) {
      case "update":
        // Yjs never emits an empty update, so an honest client never sends one as an
        // update (an empty SyncStep2 is normal); a stream of them is a flood that costs
        // the room a frame each, and is charged like a refused frame (shared/limits.ts).
        if (isEmptyUpdate(frame.update)) {
          buckets.messages.charge(EMPTY_UPDATE_COST_MESSAGES);
          return;
        }
        this.onUpdate(conn, frame.update);
        return;
      case "sync-step2":
        this.onUpdate(conn, frame.update);
        return;
      case "sync-step1":
        if (!isStateVector(frame.stateVector)) {
          this.d.guard.reject(conn, ErrorCode.BadFrame, "Malformed state vector");
          return;
        }
        // The answer must include everything this connection sent before asking.
        this.d.batcher.flush();
        this.d.answerSyncStep1(conn, bytes);
        return;
      case "awareness":
        this.onAwareness(conn, buckets, frame.update);
        return;
      case "query-awareness":
        return;
    }
  }

  private onUpdate(conn: Connection, update: Uint8Array): void {
    if (isEmptyUpdate(update)) return;
    if (!canWrite(this.d.roleOf(conn))) {
      this.d.guard.reject(conn, ErrorCode.ReadOnly, "This link cannot edit the document; the change was not applied");
      return;
    }
    if (this.d.refuseIfReadOnly(conn)) return;
    const pending = this.d.batcher.queuedBytes + this.d.heldBytes() + update.byteLength;
    if (this.d.size.bytes(pending) + pending > MAX_DOCUMENT_BYTES) {
      this.d.guard.closeWith(conn, CloseCode.TooLarge, ErrorCode.DocumentTooLarge, SIZE_MESSAGE);
      return;
    }
    this.d.batcher.push(conn, update);
  }

  private onAwareness(conn: Connection, buckets: Budgets, update: Uint8Array): void {
    const checked = checkAwareness(update, !canWrite(this.d.roleOf(conn)));
    if (!checked.ok) {
      this.d.guard.reject(conn, ErrorCode.BadFrame, `Presence refused: ${checked.reason}`);
      return;
    }
    // Someone else's presence: dropped quietly (a reconnecting tab may briefly overlap
    // its old socket, which still holds its id), and charged like a refused frame.
    if (!this.d.presence.claim(conn, checked.clientID)) {
      buckets.messages.charge(REJECTED_FRAME_COST_MESSAGES);
      return;
    }
    this.d.batcher.flush();
    const within = buckets.awareness.take() === 0 && buckets.awarenessBytes.takeN(checked.update.byteLength) === 0;
    this.d.presence.receive(conn, checked.update, within);
  }

  private onText(conn: Connection, raw: string): void {
    const msg = raw.startsWith(CUSTOM_MESSAGE_PREFIX) ? parseClientMessage(raw.slice(CUSTOM_MESSAGE_PREFIX.length)) : null;
    if (!msg) {
      this.d.guard.reject(conn, ErrorCode.BadMessage, "Unknown or malformed message");
      return;
    }
    switch (msg.type) {
      case ClientMessageType.SyncCheck:
        if (this.d.guard.budgetsFor(conn).syncChecks.take() > 0) {
          this.d.guard.closeWith(conn, CloseCode.TooManyRequests, ErrorCode.RateLimited, "Too many save checks");
          return;
        }
        // Everything this connection sent before the check has been applied (and so
        // appended) once the queue is flushed, unless some of it is held aside; the
        // output gate delivers the ack only after that append is committed to disk.
        this.d.batcher.flush();
        this.d.ack(conn, msg.seq);
        return;
      case ClientMessageType.ReadAck:
        this.d.readFlow.ack(conn, msg.id);
        return;
      case AiClientMessageType.Request:
        this.d.ai.request(conn, msg);
        return;
      case AiClientMessageType.Stop:
        this.d.ai.stop(conn, msg.requestId);
        return;
    }
  }
}
