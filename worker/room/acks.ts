/**
 * The ack stage: the save-ack protocol, all of it. A client asks "sync-check {seq}"
 * after its changes (client/src/collab/save-tracker.ts) and is answered "saved {seq}"
 * only when everything it sent before the check is stored; workerd's output gate then
 * holds that answer until the SQLite commit is on disk. Per connection, in order:
 *  - updates still queued in the batcher: the answer waits for the batch that holds
 *    the last of them (the check does not cut the batch, see batcher.ts);
 *  - updates held aside for missing dependencies (pending.ts): it waits until none is
 *    held; if they have to be dropped, the connection is closed (4409) and told why;
 *  - a connection that was holding updates when the room hibernated or restarted (its
 *    attachment says so; the held updates themselves were in memory): never "saved",
 *    closed with 4409 so it resyncs what it has;
 *  - a change a read-only document refused: an error, never "saved".
 */
import { CloseCode } from "../../shared/close-codes";
import { ErrorCode, ServerMessageType } from "../../shared/protocol";
import type { ConnectionGuard } from "./guard";
import type { HoldRefusal } from "./pending";
import type { ConnectionRegistry, RoomConn } from "./registry";

/** What a connection is told when its held updates had to be dropped. */
export const DROPPED: Record<HoldRefusal | "expired" | "yjs", string> = {
  connection: "Too many of your changes are waiting for changes this document does not have; reconnect to resync",
  document: "Too many changes are waiting for changes this document does not have; reconnect to resync",
  expired: "Your changes waited too long for changes this document does not have; reconnect to resync",
  yjs: "Your change depends on changes this document does not have; reconnect to resync",
};

export type DropReason = keyof typeof DROPPED;

/** The part of the room (RoomContext) the ack stage uses. */
export interface AckRoom<C extends RoomConn> {
  readonly conns: Pick<ConnectionRegistry<C>, "get" | "state" | "update">;
  readonly guard: Pick<ConnectionGuard<C>, "reject" | "closeWith">;
  readonly batcher: { queuedThrough(conn: C): number | null; readonly processed: number };
  readonly applier: { readonly held: { has(conn: C): boolean }; expire(): void };
  send(conn: C, msg: { type: typeof ServerMessageType.Saved; seq: number }): void;
}

export class SaveAcks<C extends RoomConn> {
  /** Checks waiting for a batch: connection id → the check's seq and the queue
   * position of the connection's last update before it. */
  private readonly afterBatch = new Map<string, { seq: number; through: number }>();
  /** Checks waiting for the connection's held updates: connection id → seq. */
  private readonly afterHeld = new Map<string, number>();
  /** Connections whose changes a read-only document refused. */
  private readonly refused = new Set<string>();

  constructor(private readonly room: AckRoom<C>) {}

  /** A sync-check from `conn`. */
  check(conn: C, seq: number): void {
    const through = this.room.batcher.queuedThrough(conn);
    if (through !== null) this.afterBatch.set(conn.id, { seq, through });
    else this.answer(conn, seq);
  }

  /** A batch (and whatever it released) is stored and sent: answer the checks that
   * waited for it. */
  batchDone(): void {
    if (this.afterBatch.size === 0) return;
    const processed = this.room.batcher.processed;
    for (const [id, w] of this.afterBatch) {
      if (w.through > processed) continue;
      this.afterBatch.delete(id);
      const conn = this.room.conns.get(id);
      if (conn) this.answer(conn, w.seq);
    }
  }

  /** `conn` has updates held aside now. */
  holding(conn: C): void {
    if (!this.room.conns.state(conn).holding) this.room.conns.update(conn, { holding: true });
  }

  /** `conn`'s held updates were all applied and stored. */
  released(conn: C): void {
    this.room.conns.update(conn, { holding: false });
    const seq = this.afterHeld.get(conn.id);
    if (seq === undefined) return;
    this.afterHeld.delete(conn.id);
    this.room.send(conn, { type: ServerMessageType.Saved, seq });
  }

  /** After a wake: a connection that was holding updates lost them with the room's
   * memory, and a check it sent meanwhile with them: it is cut now (4409), and resyncs
   * what it has when it reconnects. */
  woke(conns: Iterable<C>): void {
    for (const conn of conns) if (this.room.conns.state(conn).holding) this.dropped(conn, "expired");
  }

  /** `conn`'s held updates had to be dropped: it is cut, and resyncs on reconnect. */
  dropped(conn: C, why: DropReason): void {
    this.forget(conn);
    this.room.guard.closeWith(conn, CloseCode.Conflict, ErrorCode.MissingDependencies, DROPPED[why]);
  }

  /** A read-only document refused a change of `conn`. */
  refusedWrite(conn: C): void {
    this.refused.add(conn.id);
  }

  /** The document is writable again: later checks may be answered "saved". */
  writable(): void {
    this.refused.clear();
  }

  forget(conn: { readonly id: string }): void {
    this.afterBatch.delete(conn.id);
    this.afterHeld.delete(conn.id);
    this.refused.delete(conn.id);
  }

  /** The room reloaded: nothing it waited for will come. */
  reset(): void {
    this.afterBatch.clear();
    this.afterHeld.clear();
    this.refused.clear();
  }

  /** Everything `conn` sent before the check has been through the batcher. */
  private answer(conn: C, seq: number): void {
    // No timer keeps a room awake: held updates expire on activity, here.
    this.room.applier.expire();
    if (this.room.applier.held.has(conn)) {
      this.afterHeld.set(conn.id, seq);
      return;
    }
    if (this.room.conns.state(conn).holding) {
      // It held updates that a hibernation or restart forgot: they are not stored.
      this.dropped(conn, "expired");
      return;
    }
    if (this.refused.has(conn.id)) {
      this.room.guard.reject(conn, ErrorCode.DocumentReadOnly, "Your changes were not saved: this document is read-only");
      return;
    }
    this.room.send(conn, { type: ServerMessageType.Saved, seq });
  }
}
