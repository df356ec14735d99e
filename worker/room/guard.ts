/**
 * Per-connection protection for the document socket: message and presence budgets,
 * and typed errors to the sender only, logged once per incident rather than per frame.
 */
import type { Connection } from "partyserver";
import type { CloseCode } from "../../shared/close-codes";
import {
  RATE_AWARENESS_BURST,
  RATE_AWARENESS_BYTES_BURST,
  RATE_AWARENESS_BYTES_PER_SECOND,
  RATE_AWARENESS_PER_SECOND,
  RATE_MESSAGES_BURST,
  RATE_MESSAGES_PER_SECOND,
  RATE_SYNC_CHECKS_BURST,
  RATE_SYNC_CHECKS_PER_SECOND,
  REJECTED_FRAME_COST_MESSAGES,
} from "../../shared/limits";
import { ServerMessageType, type ErrorCode, type ServerMessage } from "../../shared/protocol";
import { log } from "../lib/log";
import { TokenBucket } from "./rate-limit";

export interface Budgets {
  messages: TokenBucket;
  awareness: TokenBucket;
  awarenessBytes: TokenBucket;
  syncChecks: TokenBucket;
}

/** What the guard needs of a connection (tests pass plain objects). */
export interface GuardedConn {
  readonly id: string;
  close(code?: number, reason?: string): void;
}

export class ConnectionGuard<C extends GuardedConn = Connection> {
  private readonly budgets = new Map<string, Budgets>();
  private readonly rejections = new Map<string, number>();
  /** Connections this guard has closed: frames they had already sent are still
   * delivered, and must cost next to nothing (a flood would otherwise keep the room
   * busy answering a socket that is gone). */
  private readonly closed = new Set<string>();

  constructor(
    private readonly docId: () => string,
    private readonly send: (conn: C, msg: ServerMessage) => void,
  ) {}

  /** Kept in memory: hibernation resets them, which is harmless (a sleeping room was idle). */
  budgetsFor(conn: C): Budgets {
    let b = this.budgets.get(conn.id);
    if (!b) {
      b = {
        messages: new TokenBucket(RATE_MESSAGES_PER_SECOND, RATE_MESSAGES_BURST),
        awareness: new TokenBucket(RATE_AWARENESS_PER_SECOND, RATE_AWARENESS_BURST),
        awarenessBytes: new TokenBucket(RATE_AWARENESS_BYTES_PER_SECOND, RATE_AWARENESS_BYTES_BURST),
        syncChecks: new TokenBucket(RATE_SYNC_CHECKS_PER_SECOND, RATE_SYNC_CHECKS_BURST),
      };
      this.budgets.set(conn.id, b);
    }
    return b;
  }

  /** A typed error to this connection only. */
  reject(conn: C, code: ErrorCode, message: string, retryAfterMs?: number, detail?: string): void {
    // One line per incident, not per frame: a flood from one socket must not flood the logs.
    this.budgetsFor(conn).messages.charge(REJECTED_FRAME_COST_MESSAGES);
    const count = (this.rejections.get(conn.id) ?? 0) + 1;
    this.rejections.set(conn.id, count);
    if (count <= 3 || count % 1000 === 0) {
      log("warn", "rejected", { doc: this.docId(), conn: conn.id, code, count, detail });
    }
    this.send(conn, { type: ServerMessageType.Error, code, message, ...(retryAfterMs ? { retryAfterMs } : {}) });
  }

  /** A typed error, then a close with a code the client can act on. */
  closeWith(conn: C, closeCode: CloseCode, code: ErrorCode, message: string): void {
    if (this.closed.has(conn.id)) return;
    this.closed.add(conn.id);
    log("warn", "closed", { doc: this.docId(), conn: conn.id, code: closeCode });
    this.reject(conn, code, message);
    conn.close(closeCode, message);
  }

  /** True once this guard closed the connection: drop whatever it still sends. */
  hasClosed(conn: C): boolean {
    return this.closed.has(conn.id);
  }

  forget(conn: { readonly id: string }): void {
    this.closed.delete(conn.id);
    this.budgets.delete(conn.id);
    this.rejections.delete(conn.id);
  }
}
