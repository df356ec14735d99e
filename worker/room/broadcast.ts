/**
 * The broadcast stage: a stored change goes to every other open connection, in one
 * walk of the room's registry. Each reader is charged for the frame first (flow
 * control, read-flow.ts), which may drop it instead. The sender of a one-sender batch
 * is skipped: it has the change already (echoing a writer's own paste doubled what it
 * had to read). A batch of several senders goes to all of them: each has only its own
 * part, and Yjs ignores what it already has.
 */
import type { Connection } from "partyserver";
import { encodeSyncFrame, SyncType } from "../../shared/frames";
import type { RoomContext } from "./context";
import { sendFrame } from "./wire";

export function broadcast(room: Pick<RoomContext, "conns" | "readFlow">, change: Uint8Array, skip: Connection | null): void {
  const frame = encodeSyncFrame(SyncType.Update, change);
  for (const conn of room.conns.list()) {
    if (conn === skip || !room.readFlow.charge(conn, frame.byteLength)) continue;
    sendFrame(conn, frame);
  }
}
