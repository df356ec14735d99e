/**
 * Presence (y-protocols awareness) for a room that hibernates:
 *  - each connection's latest states are kept in its WebSocket attachment, so after the
 *    DO wakes, a newcomer still sees the people who sat idle (clients send no periodic
 *    keep-alives; see client/src/collab/provider.ts) and a leaver's removal still reaches
 *    everyone;
 *  - changes are broadcast at most once per AWARENESS_FLUSH_MS as one merged message per
 *    peer, instead of every caret move being fanned out on its own (N² messages).
 */
import type { Connection } from "partyserver";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import { encodeAwarenessFrame } from "../../shared/frames";
import { AWARENESS_FLUSH_MS } from "../../shared/limits";

/** WebSocket attachments are limited to 2 KiB in all; leave room for role and ids. */
const MAX_PERSISTED_STATE_CHARS = 1_200;
const PRESENCE_KEY = "presence";

type Persisted = Record<string, [clock: number, state: string]>;

export class Presence {
  private changed = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private touched: number[] = [];
  private readonly deferred = new Map<string, { conn: Connection; update: Uint8Array }>();

  constructor(
    private awareness: awarenessProtocol.Awareness,
    private readonly connections: () => Iterable<Connection>,
    /** Told before every broadcast (flow control counts the bytes per reader). */
    private readonly beforeBroadcast: (conns: Connection[], bytes: number) => void = () => {},
  ) {
    awareness.on("update", this.onChange);
  }

  private readonly onChange = ({ added, updated, removed }: Changes, origin: unknown): void => {
    if (origin !== null) this.touched.push(...added, ...updated, ...removed);
  };

  /** The room reloaded its document (recovery.ts): presence follows the new awareness. */
  rebind(awareness: awarenessProtocol.Awareness): void {
    this.awareness.off("update", this.onChange);
    this.awareness = awareness;
    awareness.on("update", this.onChange);
    this.changed.clear();
    this.deferred.clear();
  }

  /** Binds `conn` to the Yjs client id it speaks for, the first time it sends presence
   * (kept in its state, so it survives hibernation); afterwards only that id is taken
   * from it. False when `clientID` is not this connection's to speak for. */
  claim(conn: Connection, clientID: number): boolean {
    const mine = (conn.state as { presenceId?: unknown } | null)?.presenceId;
    if (typeof mine === "number") return mine === clientID;
    for (const other of this.connections()) {
      if (other.id !== conn.id && (other.state as { presenceId?: unknown } | null)?.presenceId === clientID) return false;
    }
    conn.setState((prev: Record<string, unknown> | null) => ({ ...(prev ?? {}), presenceId: clientID }));
    return true;
  }

  /** Takes a checked awareness update from `conn`. Within the connection's budget it
   * is applied now; over it, only the latest one is kept and applied at the next flush,
   * so a fast typist's caret costs at most one apply per flush, and the final position
   * is never lost (dropping it would leave a stale caret on everyone's screen). */
  receive(conn: Connection, update: Uint8Array, withinBudget = true): void {
    if (!withinBudget) {
      this.deferred.set(conn.id, { conn, update });
      this.timer ??= setTimeout(this.flush, AWARENESS_FLUSH_MS);
      return;
    }
    this.apply(conn, update);
  }

  private apply(conn: Connection, update: Uint8Array): void {
    this.touched = [];
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
    if (this.touched.length === 0) return;
    const persisted: Persisted = { ...readPersisted(conn) };
    for (const id of this.touched) {
      this.changed.add(id);
      const state = this.awareness.getStates().get(id);
      const clock = this.awareness.meta.get(id)?.clock ?? 0;
      const json = state === undefined ? null : JSON.stringify(state);
      if (json !== null && json.length <= MAX_PERSISTED_STATE_CHARS) persisted[id] = [clock, json];
      else delete persisted[id];
    }
    conn.setState((prev: Record<string, unknown> | null) => ({ ...(prev ?? {}), [PRESENCE_KEY]: persisted }));
    this.timer ??= setTimeout(this.flush, AWARENESS_FLUSH_MS);
  }

  private readonly flush = (): void => {
    this.timer = null;
    const deferred = [...this.deferred.values()];
    this.deferred.clear();
    for (const { conn, update } of deferred) {
      // A socket that closed meanwhile must not come back as a ghost caret.
      if (conn.readyState === WebSocket.OPEN) this.apply(conn, update);
    }
    if (this.changed.size === 0) return;
    const frame = encodeAwarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.changed]));
    this.changed.clear();
    const conns = [...this.connections()];
    this.beforeBroadcast(conns, frame.byteLength);
    for (const conn of conns) {
      if (conn.readyState !== WebSocket.READY_STATE_OPEN) continue;
      try {
        conn.send(frame);
      } catch {
        /* closing socket: its own close handler cleans up */
      }
    }
  };

  /** After a wake: rebuild everyone's presence from their connections' attachments. */
  restore(): void {
    for (const conn of this.connections()) {
      const entries = Object.entries(readPersisted(conn));
      if (entries.length === 0) continue;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, entries.length);
      for (const [id, [clock, json]] of entries) {
        encoding.writeVarUint(encoder, Number(id));
        encoding.writeVarUint(encoder, clock);
        encoding.writeVarString(encoder, json);
      }
      try {
        awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(encoder), conn);
      } catch {
        /* an unreadable attachment only costs that person's presence until they move */
      }
    }
    this.touched = [];
  }
}

interface Changes {
  added: number[];
  updated: number[];
  removed: number[];
}

function readPersisted(conn: Connection): Persisted {
  const state = conn.state as Record<string, unknown> | null;
  const p = state?.[PRESENCE_KEY];
  return p && typeof p === "object" ? (p as Persisted) : {};
}
