/**
 * The close path: a socket closed (by its client, by the room, or its transport died).
 * Everything the room kept for it goes; its presence leaves everyone's screen at the
 * next presence flush; the last one out folds the log (storage/history.ts).
 *
 * partyserver reciprocates the client's close frame after this returns, except for the
 * codes no peer can have sent (1005, 1006, 1015). A client that closes without a status
 * code arrives as 1005, though: it did send a close frame, and would wait for its own
 * close timeout without an answer, so it gets a normal closure here. (1006 and 1015 mean
 * no close frame came at all: there is nobody to answer.)
 */
import type { Connection } from "partyserver";
import type { RoomContext } from "./context";
import { isServing } from "./phase";

export function closeConnection(room: RoomContext, conn: Connection, code: number): void {
  if (code === 1005) {
    try {
      conn.close(1000, "");
    } catch {
      /* already closed */
    }
  }
  room.conns.remove(conn);
  room.guard.forget(conn);
  room.applier.forget(conn);
  room.batcher.forget(conn);
  room.acks.forget(conn);
  room.readFlow.forget(conn);
  room.ai.closed(conn);
  // A room going down must not touch its broken document (Yjs can loop on it).
  if (room.phase.kind === "restarting") return;
  room.presence.leave(conn);
  if (isServing(room.phase) && room.conns.count() === 0) room.history.onLastLeave();
}
