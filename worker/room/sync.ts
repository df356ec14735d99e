/**
 * The y-websocket sync handshake, with y-protocols, in the frames the client provider
 * (y-partyserver/provider) expects. On connect the room sends SyncStep1 (its state
 * vector), so the client answers with a SyncStep2 of what the room lacks; the client's
 * own SyncStep1 is answered with a SyncStep2 of what it lacks. Updates after that are
 * sync "update" frames (broadcast.ts).
 */
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { MessageType } from "../../shared/frames";

/** The room's state vector, as the first frame a connection gets. */
export function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** What the client that sent `stateVector` lacks. */
export function syncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

/** A live document with its presence, as the room holds it. */
export function liveDoc(): { doc: Y.Doc; awareness: awarenessProtocol.Awareness } {
  const doc = new Y.Doc({ gc: true });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);
  // No timer that keeps an idle room awake: presence leaves with its socket (close.ts).
  clearInterval((awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  return { doc, awareness };
}
