/**
 * The admit stage. A new socket (its token was checked by access/gate.ts before the
 * upgrade) joins the room only if the room can serve it and its link still holds; it is
 * then registered and greeted: SyncStep1, everyone's presence, the welcome with its
 * role and the document's epoch. A copy from another epoch (the owner rebuilt the
 * document since: storage/epoch.ts) is never synced: it gets the welcome, so the
 * client learns the epoch, and is closed (4205) before anything else is sent. Each
 * later message is admitted only while all that is still true and while the frame
 * fits the size and rate budgets; past them the connection is closed.
 */
import type { Connection } from "partyserver";
import { CloseCode } from "../../shared/close-codes";
import { MAX_MESSAGE_BYTES } from "../../shared/limits";
import { ErrorCode, ServerMessageType } from "../../shared/protocol";
import { AUTHOR_HEADER, decodeAuthor } from "../access/author";
import { admitLive, admitNew, GRANT_HEADER } from "../access/connections";
import { clientEpoch, EPOCH_HEADER } from "../storage/epoch";
import { READ_ONLY_MESSAGES } from "../storage/load";
import type { RoomContext } from "./context";
import type { Budgets } from "./guard";
import { readOnlyReason, refusal } from "./phase";
import { syncStep1 } from "./sync";
import { sendFrame } from "./wire";

const REBUILT_REASON = "This document was rebuilt; reloading it";

/** A new socket: true when it joined the room. */
export function admitSocket(room: RoomContext, conn: Connection, request: Request): boolean {
  const refused = refusal(room.phase);
  if (refused) {
    conn.close(refused.code, refused.reason);
    return false;
  }
  const grant = admitNew(conn, request.headers.get(GRANT_HEADER), room.links);
  if (!grant) return false;
  const role = grant.role ?? "viewer";
  const epoch = room.history.epoch.current();
  if (clientEpoch(request.headers.get(EPOCH_HEADER)) !== epoch) {
    room.send(conn, { type: ServerMessageType.Welcome, role, connectionId: conn.id, epoch });
    conn.close(CloseCode.Rebuilt, REBUILT_REASON);
    return false;
  }
  conn.setState({ ...grant, epoch, author: decodeAuthor(request.headers.get(AUTHOR_HEADER)) });
  room.conns.add(conn);
  sendFrame(conn, syncStep1(room.doc()));
  const presence = room.presence.everyone();
  if (presence) sendFrame(conn, presence);
  const reason = readOnlyReason(room.phase);
  room.send(conn, {
    type: ServerMessageType.Welcome,
    role,
    connectionId: conn.id,
    epoch,
    ai: room.aiPolicy.current(),
    ...(reason ? { readOnly: { reason, message: READ_ONLY_MESSAGES[reason] } } : {}),
  });
  return true;
}

/** A message of `size` bytes (UTF-16 units for text: within 3× of its UTF-8 size,
 * close enough for a cap) from a connected socket: its budgets, or null after
 * closing it. */
export function admitMessage(room: RoomContext, conn: Connection, size: number): Budgets | null {
  const refused = refusal(room.phase);
  if (refused) {
    conn.close(refused.code, refused.reason);
    return null;
  }
  const admittedAt = room.conns.state(conn).epoch;
  if (admittedAt !== undefined && admittedAt !== room.history.epoch.current()) {
    conn.close(CloseCode.Rebuilt, REBUILT_REASON);
    return null;
  }
  if (!admitLive(conn, room.links)) return null;
  if (size > MAX_MESSAGE_BYTES) {
    room.guard.closeWith(conn, CloseCode.TooLarge, ErrorCode.TooLarge, `Frames are limited to ${MAX_MESSAGE_BYTES} bytes`);
    return null;
  }
  const budgets = room.guard.budgetsFor(conn);
  if (budgets.messages.take() > 0) {
    room.guard.closeWith(conn, CloseCode.TooManyRequests, ErrorCode.RateLimited, "Too many messages");
    return null;
  }
  return budgets;
}
