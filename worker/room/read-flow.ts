/**
 * Flow control for readers. A Durable Object cannot see how much a WebSocket still has
 * to write (workerd exposes no bufferedAmount), so a client that stops reading would
 * make the server queue every later broadcast for it, without bound. Instead the
 * server counts the bytes it broadcasts to each connection and, every
 * READ_CHECK_EVERY_BYTES, sends a read-check with a random id. A client can echo that
 * id only after reading it, and so everything sent before it (a WebSocket is ordered).
 * A connection more than MAX_UNREAD_BYTES past its last echoed check is dropped with
 * 4408; the client reconnects and resyncs with one message.
 *
 * Counts live in memory: a room that hibernated was idle, so nothing was in flight.
 */
import { CloseCode } from "../../shared/close-codes";
import { MAX_UNREAD_BYTES, READ_CHECK_EVERY_BYTES } from "../../shared/limits";
import { ErrorCode, ServerMessageType } from "../../shared/protocol";

/** WebSocket.READY_STATE_OPEN in workerd; spelled out so the logic runs in Node tests. */
const OPEN = 1;

export interface Reader {
  readonly id: string;
  readonly readyState: number;
}

interface Meter {
  sent: number;
  read: number;
  nextCheckAt: number;
  /** Outstanding checks: id → bytes sent before it. At most MAX / EVERY + 1 entries. */
  checks: Map<string, number>;
}

/** The part of the room (RoomContext) flow control uses. */
export interface ReadFlowRoom<C extends Reader> {
  send(conn: C, msg: { type: typeof ServerMessageType.ReadCheck; id: string }): void;
  readonly guard: { closeWith(conn: C, closeCode: CloseCode, code: ErrorCode, message: string): void };
}

export class ReadFlow<C extends Reader> {
  /** Keyed by the connection object (a broadcast charges every reader: no id lookups). */
  private readonly meters = new Map<C, Meter>();

  constructor(
    private readonly room: ReadFlowRoom<C>,
    /** Random check ids (injectable for tests). */
    private readonly newId: () => string = randomId,
  ) {}

  /** Call before sending `bytes` to `conn`: false when it fell too far behind and was
   * dropped here (it is closing; skip the send). */
  charge(conn: C, bytes: number): boolean {
    if (conn.readyState !== OPEN) return false;
    const m = this.meterOf(conn);
    if (m.sent >= m.nextCheckAt) {
      // The check goes out before this send, so its echo covers what came before.
      const id = this.newId();
      m.checks.set(id, m.sent);
      m.nextCheckAt = m.sent + READ_CHECK_EVERY_BYTES;
      this.room.send(conn, { type: ServerMessageType.ReadCheck, id });
    }
    m.sent += bytes;
    if (m.sent - m.read <= MAX_UNREAD_BYTES) return true;
    this.meters.delete(conn);
    this.room.guard.closeWith(
      conn,
      CloseCode.TooSlow,
      ErrorCode.TooSlow,
      `Fell ${m.sent - m.read} bytes behind reading; reconnect to resync`,
    );
    return false;
  }

  /** A client echoed a check: everything before it has been read. Unknown ids (never
   * sent, already echoed, or from before a hibernation) are ignored. */
  ack(conn: C, id: string): void {
    const m = this.meters.get(conn);
    const at = m?.checks.get(id);
    if (!m || at === undefined) return;
    m.read = Math.max(m.read, at);
    // Older checks are covered by this one.
    for (const [other, pos] of m.checks) if (pos <= at) m.checks.delete(other);
  }

  /** Bytes sent to the connection but not yet proven read (tests, logs). */
  unread(conn: C): number {
    const m = this.meters.get(conn);
    return m ? m.sent - m.read : 0;
  }

  forget(conn: C): void {
    this.meters.delete(conn);
  }

  private meterOf(conn: C): Meter {
    let m = this.meters.get(conn);
    if (!m) {
      // The first check goes out with the first broadcast: a reader that never reads
      // is noticed after MAX_UNREAD_BYTES, not after one interval more.
      m = { sent: 0, read: 0, nextCheckAt: 0, checks: new Map() };
      this.meters.set(conn, m);
    }
    return m;
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_");
}
