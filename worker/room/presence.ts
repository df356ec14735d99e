/**
 * Presence (y-protocols awareness) for a room that hibernates:
 *  - a connection speaks for one Yjs client id, the first it sends presence for
 *    (awareness.ts checks the frame; the id is kept in its attachment);
 *  - each connection's latest states are kept in its WebSocket attachment, so after the
 *    DO wakes, a newcomer still sees the people who sat idle (clients send no periodic
 *    keep-alives; see client/src/collab/provider.ts) and a leaver's removal still reaches
 *    everyone. The attachment is written at the flush, once per changed connection, not
 *    per caret move (a pending flush timer keeps the room awake until then);
 *  - changes are broadcast at most once per AWARENESS_FLUSH_MS as one merged message per
 *    peer, instead of every caret move being fanned out on its own (N² messages);
 *  - a connection that closes takes its presence with it, in the next flush.
 */
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import { encodeAwarenessFrame } from "../../shared/frames";
import { AWARENESS_FLUSH_MS } from "../../shared/limits";
import type { ConnectionRegistry, PersistedPresence, RoomConn } from "./registry";

/** WebSocket attachments are limited to 2 KiB in all; leave room for role and ids. */
const MAX_PERSISTED_STATE_CHARS = 1_200;

/** WebSocket.READY_STATE_OPEN in workerd. */
const OPEN = 1;

type PresenceConn = RoomConn & { send(frame: Uint8Array): void };

/** The part of the room (RoomContext) presence uses. */
export interface PresenceRoom<C extends PresenceConn> {
  awareness(): awarenessProtocol.Awareness;
  readonly conns: ConnectionRegistry<C>;
  readonly readFlow: { charge(conn: C, bytes: number): boolean };
}

export class Presence<C extends PresenceConn> {
  private changed = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly deferred = new Map<string, { conn: C; update: Uint8Array }>();
  /** Connections whose attachment must be written at the next flush. */
  private readonly dirty = new Map<string, C>();

  constructor(private readonly room: PresenceRoom<C>) {}

  /** True when `clientID` is this connection's to speak for; the first presence a
   * connection sends binds it (kept in its attachment, so it survives hibernation). */
  claim(conn: C, clientID: number): boolean {
    const mine = this.room.conns.state(conn).presenceId;
    if (typeof mine === "number") return mine === clientID;
    const other = this.room.conns.speaker(clientID);
    if (other !== undefined && other !== conn.id && this.room.conns.get(other)?.readyState === OPEN) return false;
    this.room.conns.update(conn, { presenceId: clientID });
    return true;
  }

  /** Takes a checked awareness update from `conn`. Within the connection's budget it
   * is applied now; over it, only the latest one is kept and applied at the next flush,
   * so a fast typist's caret costs at most one apply per flush, and the final position
   * is never lost (dropping it would leave a stale caret on everyone's screen). */
  receive(conn: C, update: Uint8Array, withinBudget = true): void {
    if (withinBudget) this.apply(conn, update);
    else this.deferred.set(conn.id, { conn, update });
    this.timer ??= setTimeout(this.flush, AWARENESS_FLUSH_MS);
  }

  /** `conn` closed: its presence goes, for everyone, at the next flush. */
  leave(conn: C): void {
    this.deferred.delete(conn.id);
    this.dirty.delete(conn.id);
    const id = this.room.conns.state(conn).presenceId;
    if (typeof id !== "number" || !this.room.awareness().getStates().has(id)) return;
    // A reconnecting tab's new socket may speak for the same client already: it stays.
    const speaker = this.room.conns.speaker(id);
    if (speaker !== undefined && speaker !== conn.id) return;
    awarenessProtocol.removeAwarenessStates(this.room.awareness(), [id], null);
    this.changed.add(id);
    this.timer ??= setTimeout(this.flush, AWARENESS_FLUSH_MS);
  }

  /** The room reloaded its document (recovery.ts): nothing of the old presence is sent. */
  reset(): void {
    this.changed.clear();
    this.deferred.clear();
    this.dirty.clear();
  }

  /** A frame with everyone's presence, for a newcomer; null when nobody is present. */
  everyone(): Uint8Array | null {
    const awareness = this.room.awareness();
    const states = awareness.getStates();
    if (states.size === 0) return null;
    return encodeAwarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [...states.keys()]));
  }

  private apply(conn: C, update: Uint8Array): void {
    const awareness = this.room.awareness();
    const id = this.room.conns.state(conn).presenceId;
    if (typeof id !== "number") return; // claim() binds it before anything is applied
    const before = awareness.meta.get(id);
    awarenessProtocol.applyAwarenessUpdate(awareness, update, conn);
    // y-protocols writes a new meta entry for every update it accepts.
    if (awareness.meta.get(id) === before) return;
    this.changed.add(id);
    this.dirty.set(conn.id, conn);
  }

  private readonly flush = (): void => {
    this.timer = null;
    const deferred = [...this.deferred.values()];
    this.deferred.clear();
    for (const { conn, update } of deferred) {
      // A socket that closed meanwhile must not come back as a ghost caret.
      if (conn.readyState === OPEN) this.apply(conn, update);
    }
    for (const conn of this.dirty.values()) this.persist(conn);
    this.dirty.clear();
    if (this.changed.size === 0) return;
    const awareness = this.room.awareness();
    const frame = encodeAwarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, [...this.changed]));
    this.changed.clear();
    for (const conn of this.room.conns.list()) {
      if (!this.room.readFlow.charge(conn, frame.byteLength)) continue;
      try {
        conn.send(frame);
      } catch {
        /* closing socket: its own close handler cleans up */
      }
    }
  };

  /** Writes the connection's presence into its attachment, for a wake. */
  private persist(conn: C): void {
    if (conn.readyState !== OPEN) return;
    const awareness = this.room.awareness();
    const id = this.room.conns.state(conn).presenceId;
    if (typeof id !== "number") return;
    const state = awareness.getStates().get(id);
    const json = state === undefined ? null : JSON.stringify(state);
    const presence: PersistedPresence = {};
    if (json !== null && json.length <= MAX_PERSISTED_STATE_CHARS) presence[id] = [awareness.meta.get(id)?.clock ?? 0, json];
    this.room.conns.update(conn, { presence });
  }

  /** After a wake: everyone's presence, from their connections' attachments. */
  restore(): void {
    const awareness = this.room.awareness();
    for (const conn of this.room.conns.all()) {
      const entries = Object.entries(this.room.conns.state(conn).presence ?? {});
      if (entries.length === 0) continue;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, entries.length);
      for (const [id, [clock, json]] of entries) {
        encoding.writeVarUint(encoder, Number(id));
        encoding.writeVarUint(encoder, clock);
        encoding.writeVarString(encoder, json);
      }
      try {
        awarenessProtocol.applyAwarenessUpdate(awareness, encoding.toUint8Array(encoder), conn);
      } catch {
        /* an unreadable attachment only costs that person's presence until they move */
      }
    }
  }
}
