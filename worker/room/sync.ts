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

/**
 * The answers to SyncStep1. The one asked most, by a client that has nothing yet (a
 * first open, a reconnect storm of fresh tabs), is the whole document, and encoding it
 * walks every struct: 17 ms for the 81 KB friendsforever typing trace (observed, Node,
 * busy machine, 2026-12-07), so 100 fresh clients cost the room 1.7 s of encoding. It is
 * encoded once and kept until the document changes (pipeline.ts watch), or the room
 * hibernates. It is never larger than one such answer.
 */
export class SyncAnswers {
  private whole: Uint8Array | null = null;

  constructor(private readonly doc: () => Y.Doc) {}

  /** The SyncStep2 frame for a client whose state vector is `stateVector`. */
  step2(stateVector: Uint8Array): Uint8Array {
    const nothing = stateVector.byteLength === 1 && stateVector[0] === 0;
    if (!nothing) return syncStep2(this.doc(), stateVector);
    this.whole ??= syncStep2(this.doc(), stateVector);
    return this.whole;
  }

  /** The document changed, or was replaced. */
  changed(): void {
    this.whole = null;
  }
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
