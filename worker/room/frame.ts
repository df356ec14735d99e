/**
 * The frame stage: every admitted message, read and handed on. y-websocket frames:
 * updates go to the batcher (then check, apply, persist, broadcast, ack), a SyncStep1
 * is answered with what its sender lacks, presence goes to the merged presence
 * broadcast. Quire's JSON messages: save checks (acks.ts), read acks (read-flow.ts),
 * AI requests, stops and outcomes. Bad input gets a typed error to its sender only.
 */
import { SIZE_MESSAGE } from "./growth";
import type { Connection, WSMessage } from "partyserver";
import { AiClientMessageType } from "../../shared/ai";
import { CloseCode } from "../../shared/close-codes";
import { readFrame } from "../../shared/frames";
import { EMPTY_UPDATE_COST_MESSAGES, MAX_DOCUMENT_BYTES, REJECTED_FRAME_COST_MESSAGES } from "../../shared/limits";
import { CUSTOM_MESSAGE_PREFIX, ClientMessageType, ErrorCode, canWrite, parseClientMessage } from "../../shared/protocol";
import { READ_ONLY_MESSAGES } from "../storage/load";
import { checkAwareness } from "./awareness";
import type { RoomContext } from "./context";
import type { Budgets } from "./guard";
import { readOnlyReason } from "./phase";
import { isEmptyUpdate, isStateVector, sendFrame, toBytes } from "./wire";

export function readMessage(room: RoomContext, conn: Connection, message: WSMessage, budgets: Budgets): void {
  if (typeof message === "string") onText(room, conn, message);
  else onBinary(room, conn, toBytes(message), budgets);
}

function onBinary(room: RoomContext, conn: Connection, bytes: Uint8Array, budgets: Budgets): void {
  const frame = readFrame(bytes);
  if (!frame) {
    room.guard.reject(conn, ErrorCode.BadFrame, "Not a valid y-websocket frame");
    return;
  }
  switch (frame.kind) {
    case "update":
      // Yjs never emits an empty update, so an honest client never sends one as an
      // update (an empty SyncStep2 is normal); a stream of them is a flood that costs
      // the room a frame each, and is charged like a refused frame (shared/limits.ts).
      if (isEmptyUpdate(frame.update)) {
        budgets.messages.charge(EMPTY_UPDATE_COST_MESSAGES);
        return;
      }
      onUpdate(room, conn, frame.update, true);
      return;
    case "sync-step2":
      onUpdate(room, conn, frame.update, false);
      return;
    case "sync-step1":
      if (!isStateVector(frame.stateVector)) {
        room.guard.reject(conn, ErrorCode.BadFrame, "Malformed state vector");
        return;
      }
      // The answer must include everything this connection sent before asking.
      if (room.batcher.queuedThrough(conn) !== null) room.flush();
      sendFrame(conn, room.answers.step2(frame.stateVector));
      return;
    case "awareness":
      onAwareness(room, conn, budgets, frame.update);
      return;
    case "query-awareness":
      return;
  }
}

/** `exact`: the bytes are the sender's own change (see batcher.ts). */
function onUpdate(room: RoomContext, conn: Connection, update: Uint8Array, exact: boolean): void {
  if (isEmptyUpdate(update)) return;
  if (!canWrite(room.roleOf(conn))) {
    room.guard.reject(conn, ErrorCode.ReadOnly, "This link cannot edit the document; the change was not applied");
    return;
  }
  const readOnly = readOnlyReason(room.phase);
  if (readOnly) {
    // A read-only document refuses every update, and never tells its sender "saved".
    room.guard.reject(conn, ErrorCode.DocumentReadOnly, READ_ONLY_MESSAGES[readOnly]);
    room.acks.refusedWrite(conn);
    return;
  }
  const pending = room.batcher.queuedBytes + room.applier.held.bytes + update.byteLength;
  if (room.size.bytes(pending) + pending > MAX_DOCUMENT_BYTES) {
    room.guard.closeWith(conn, CloseCode.TooLarge, ErrorCode.DocumentTooLarge, SIZE_MESSAGE);
    return;
  }
  room.batcher.push(conn, update, exact);
}

function onAwareness(room: RoomContext, conn: Connection, budgets: Budgets, update: Uint8Array): void {
  const checked = checkAwareness(update, !canWrite(room.roleOf(conn)));
  if (!checked.ok) {
    room.guard.reject(conn, ErrorCode.BadFrame, `Presence refused: ${checked.reason}`);
    return;
  }
  // Someone else's presence: dropped quietly (a reconnecting tab may briefly overlap
  // its old socket, which still holds its id), and charged like a refused frame.
  if (!room.presence.claim(conn, checked.clientID)) {
    budgets.messages.charge(REJECTED_FRAME_COST_MESSAGES);
    return;
  }
  // Not flushed first: presence goes out at the presence flush, after the batch's tick.
  const within = budgets.awareness.take() === 0 && budgets.awarenessBytes.takeN(checked.update.byteLength) === 0;
  room.presence.receive(conn, checked.update, within);
}

function onText(room: RoomContext, conn: Connection, raw: string): void {
  const msg = raw.startsWith(CUSTOM_MESSAGE_PREFIX) ? parseClientMessage(raw.slice(CUSTOM_MESSAGE_PREFIX.length)) : null;
  if (!msg) {
    room.guard.reject(conn, ErrorCode.BadMessage, "Unknown or malformed message");
    return;
  }
  switch (msg.type) {
    case ClientMessageType.SyncCheck:
      if (room.guard.budgetsFor(conn).syncChecks.take() > 0) {
        room.guard.closeWith(conn, CloseCode.TooManyRequests, ErrorCode.RateLimited, "Too many save checks");
        return;
      }
      room.acks.check(conn, msg.seq);
      return;
    case ClientMessageType.ReadAck:
      room.readFlow.ack(conn, msg.id);
      return;
    case AiClientMessageType.Request:
      // The selection may point into what this connection just typed.
      if (room.batcher.queuedThrough(conn) !== null) room.flush();
      room.ai.request(conn, msg);
      return;
    case AiClientMessageType.Stop:
      room.ai.stop(conn, msg.requestId);
      return;
    case AiClientMessageType.Outcome:
      room.ai.outcome(conn, msg);
      return;
  }
}
