/**
 * The check and apply stages: client updates go into the live document so that no
 * update can hurt the room:
 *  - each update is checked first (update-check.ts, with the room's rules for its
 *    sender from defense.ts: growth budgets, marks of identity); a refused one never
 *    touches the document, its sender is told why and cut (4422, or the refusal's own
 *    close, such as 4507 past a growth budget), and that sender's later updates in the
 *    same batch are skipped (they may build on the refused one); what an applied one
 *    added is recorded (new client ids, suggestion ids);
 *  - an update that depends on missing changes is held aside (pending.ts), and so is
 *    everything its sender sends after it, to keep each sender's order; held updates
 *    are re-checked only after a batch that advanced a Yjs client they refer to;
 *  - a batch is one Yjs transaction, so one stored row and one broadcast per peer;
 *  - if Yjs throws anyway, or is left with a transaction it never finished (the state
 *    in which no update event ever fires again), the room is declared poisoned and
 *    recovers from storage (recovery.ts).
 * What a transaction changed, to store and send: when it took one update, that
 * update's own bytes, so the room forwards what it received instead of having Yjs
 * encode it again (the common case: a keystroke alone in its tick). When it took
 * several, Yjs encodes the transaction once (lib/yjs.ts UpdateCapture): Y.mergeUpdates
 * of the same updates was observed slower than that from two updates on (≈190 vs 130
 * µs for 2, 3.4 vs 0.75 ms for 50 one-character updates, Node, 2026-12-07). And when
 * the bytes repeat what the document had (a SyncStep2, a resent update), so are not
 * exactly the change, Yjs' encoding is used as well.
 */
import * as Y from "yjs";
import { CloseCode } from "../../shared/close-codes";
import { ErrorCode } from "../../shared/protocol";
import { advancedClients, changedAnything, isPoisoned, UpdateCapture } from "../lib/yjs";
import type { DropReason } from "./acks";
import type { ContentRules } from "./content-rules";
import type { ConnectionGuard, GuardedConn } from "./guard";
import { PendingUpdates, type Held } from "./pending";
import { checkUpdate, type SenderRules } from "./update-check";

export interface Incoming<C> {
  conn: C;
  update: Uint8Array;
  /** The bytes are exactly the sender's change (see batcher.ts). */
  exact: boolean;
}

/** What one transaction did, for the stages after it (pipeline.ts). */
export interface Applied<C> {
  /** The bytes to store and send; null when nothing changed. */
  change: Uint8Array | null;
  /** Who sent the updates in it. */
  senders: Map<string, C>;
  /** The Yjs clients whose clocks moved: held updates waiting on them may apply now. */
  advanced: Set<number>;
  /** Connections that no longer hold anything (their deferred acks can go once stored). */
  released: C[];
}

/** The part of the room (RoomContext) the apply stage uses. */
export interface ApplyRoom<C extends GuardedConn> {
  doc(): Y.Doc;
  readonly recovery: { refusedClients(): ReadonlySet<number>; poisoned(batch: Incoming<C>[], error: unknown): void };
  readonly acks: { holding(conn: C): void; dropped(conn: C, why: DropReason): void };
  readonly guard: Pick<ConnectionGuard<C>, "closeWith">;
  /** The room's rules per sender (defense.ts: growth budgets, marks of identity). */
  readonly defense: { batch(): SenderRules<C> };
}

/** Rounds of re-checking held updates after one batch (each needs progress). */
const MAX_RETRY_ROUNDS = 8;

export class Applier<C extends GuardedConn> {
  readonly held = new PendingUpdates<C>();
  private broken = false;

  /** The check itself; replaceable so tests can let a breaking update through. */
  check: typeof checkUpdate = checkUpdate;

  constructor(
    private readonly r: ApplyRoom<C>,
    private readonly rules: ContentRules,
  ) {}

  /** True once the room was found poisoned: nothing more is applied. */
  get poisoned(): boolean {
    return this.broken;
  }

  /** Checks and applies a batch in one transaction; null if the room broke. */
  apply(batch: Incoming<C>[]): Applied<C> | null {
    if (this.broken) return null;
    return this.run(batch, false);
  }

  /** Applies what was held and can be now, after a change that advanced `advanced`:
   * one transaction per round; null if the room broke on the way. */
  retryHeld(advanced: Set<number>): Applied<C>[] | null {
    const out: Applied<C>[] = [];
    let moved: ReadonlySet<number> = advanced;
    for (let round = 0; round < MAX_RETRY_ROUNDS && this.held.unblockedBy(moved); round++) {
      const applied = this.run(this.candidates(moved), true);
      if (!applied) return null;
      out.push(applied);
      moved = applied.advanced;
    }
    return out;
  }

  /** A fresh start after the room reloaded its document. */
  reset(): void {
    this.broken = false;
    this.held.takeAll();
  }

  /** Drops what waited too long; call on any activity (no timer keeps a room awake). */
  expire(): void {
    const gone = new Map<string, C>();
    for (const h of this.held.expired()) gone.set(h.conn.id, h.conn);
    for (const conn of gone.values()) {
      this.held.drop(conn);
      this.r.acks.dropped(conn, "expired");
    }
  }

  /** `conn` closed: what it held goes, nobody will be told. */
  forget(conn: C): void {
    this.held.drop(conn);
  }

  /** Takes out of `held` every update of the senders whose first held update refers
   * to a client in `moved`; the others stay, unread. */
  private candidates(moved: ReadonlySet<number>): Held<C>[] {
    const out: Held<C>[] = [];
    const verdict = new Map<string, boolean>();
    for (const h of this.held.takeAll()) {
      let go = verdict.get(h.conn.id);
      if (go === undefined) {
        go = [...h.deps].some((client) => moved.has(client));
        verdict.set(h.conn.id, go);
      }
      if (go) out.push(h);
      else this.held.rehold(h);
    }
    return out;
  }

  /**
   * One transaction. `held`: the items come from `held` (in order), and go back there
   * if they still wait; fresh items queue behind whatever their sender has held. Once
   * one item of a sender waits, so do all it sent after it.
   */
  private run(items: (Incoming<C> | Held<C>)[], held: boolean): Applied<C> | null {
    const doc = this.r.doc();
    const refused = new Set<string>();
    const waiting = new Set<string>();
    const accepted: Uint8Array[] = [];
    const senders = new Map<string, C>();
    let capture: UpdateCapture | null = null;
    let tr: Y.Transaction | null = null;
    let error: unknown = null;
    const rules = this.r.defense.batch();
    try {
      doc.transact((t) => {
        tr = t;
        for (const item of items) {
          const { conn, update } = item;
          if (refused.has(conn.id)) continue;
          if (waiting.has(conn.id) || (!held && this.held.has(conn))) {
            this.wait(item, refused);
            continue;
          }
          const verdict = this.check(doc, update, this.rules, this.r.recovery.refusedClients(), rules.of(conn));
          if (verdict.kind === "refused") {
            refused.add(conn.id);
            const close = verdict.close ?? {
              code: CloseCode.Unprocessable,
              error: ErrorCode.InvalidUpdate,
              message: `The server refused a change: ${verdict.reason}.`,
            };
            this.r.guard.closeWith(conn, close.code, close.error, close.message);
            continue;
          }
          if (verdict.kind === "missing") {
            waiting.add(conn.id);
            this.wait(item, refused);
            continue;
          }
          Y.applyUpdate(doc, update, conn);
          if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
            // The check found every dependency, Yjs did not: trust Yjs, keep nothing
            // parked inside the document, and have the sender resync.
            doc.store.pendingStructs = null;
            doc.store.pendingDs = null;
            refused.add(conn.id);
            this.held.drop(conn);
            this.r.acks.dropped(conn, "yjs");
            continue;
          }
          rules.accepted(conn, verdict);
          senders.set(conn.id, conn);
          accepted.push(update);
          // A lone update's bytes are the change; anything else is encoded by Yjs once
          // (see the header).
          const exact = "exact" in item && item.exact && !verdict.stale;
          if ((!exact || accepted.length > 1) && capture === null) capture = new UpdateCapture(doc);
        }
      }, originOf(items));
    } catch (err) {
      error = err;
    }
    const captured = capture === null ? null : (capture as UpdateCapture).stop();
    const done = tr as Y.Transaction | null;
    if (error !== null || isPoisoned(doc) || done === null) {
      this.broken = true;
      this.r.recovery.poisoned(
        items.map(({ conn, update }) => ({ conn, update, exact: true })),
        error,
      );
      return null;
    }
    const released = new Map<string, C>();
    if (held) for (const { conn } of items) if (!refused.has(conn.id) && !this.held.has(conn)) released.set(conn.id, conn);
    const changed = changedAnything(done);
    return {
      change: !changed ? null : capture !== null ? captured : (accepted[0] ?? null),
      senders,
      advanced: changed ? advancedClients(done) : new Set(),
      released: [...released.values()],
    };
  }

  /** Holds `item` (again); a sender over its bound is cut and loses what it held. */
  private wait(item: Incoming<C> | Held<C>, refused: Set<string>): void {
    const { conn } = item;
    if ("deps" in item) {
      this.held.rehold(item);
      return;
    }
    const had = this.held.has(conn);
    const over = this.held.hold(conn, item.update);
    if (over) {
      refused.add(conn.id);
      this.held.drop(conn);
      this.r.acks.dropped(conn, over);
      return;
    }
    if (!had) this.r.acks.holding(conn);
  }
}

/** One sender's batch carries its connection as the transaction's origin; a mixed one none. */
function originOf<C>(items: { conn: C }[]): unknown {
  const first = items[0]?.conn;
  return first !== undefined && items.every((i) => i.conn === first) ? first : null;
}
