/**
 * Applies client updates to the live document so that no update can hurt the room:
 *  - each update is checked first (update-check.ts); a refused one never touches the
 *    document, its sender is told why and cut, and that sender's later updates in the
 *    same batch are skipped (they may build on the refused one);
 *  - an update that depends on missing changes is held aside (pending.ts), and so is
 *    everything its sender sends after it, to keep each sender's order;
 *  - a batch is one Yjs transaction, so one stored row and one broadcast per peer;
 *  - if Yjs throws anyway, or is left with a transaction it never finished (the state
 *    in which no update event ever fires again, so nothing is stored or broadcast while
 *    clients keep being told "saved"), the room is declared poisoned and the caller
 *    recovers it from storage.
 */
import * as Y from "yjs";
import type { ContentRules } from "./content-rules";
import { PendingUpdates, type HoldRefusal } from "./pending";
import { checkUpdate, type Accepted, type Refusal, type UpdateContext } from "./update-check";
import { isPoisoned } from "../lib/yjs";

export interface Incoming<C> {
  conn: C;
  update: Uint8Array;
}

export interface ApplyHooks<C> {
  doc(): Y.Doc;
  rules: ContentRules;
  /** Yjs client ids whose changes once poisoned the room. */
  refusedClients(): ReadonlySet<number>;
  /** The origin of a batch's transaction. */
  origin(batch: Incoming<C>[]): unknown;
  /** Called before a batch is applied (counting, authorship). */
  before?(batch: Incoming<C>[]): void;
  /** An update was refused: tell its sender why, and cut it (`close`: how, if not 4422). */
  refuse(conn: C, reason: string, close?: Refusal["close"]): void;
  /** Per batch: the room's rules for each sender (defense.ts), and what to record once
   * an update they let through was applied. */
  contexts?(): { of(conn: C): UpdateContext; accepted(conn: C, verdict: Accepted): void };
  /** Held updates of `conn` had to be dropped: tell it to resync. */
  dropped(conn: C, why: HoldRefusal | "expired" | "yjs"): void;
  /** `conn` holds updates now (true), or none any more (false). */
  holding(conn: C, holding: boolean): void;
  /** The live document can no longer be trusted (see the header). */
  poisoned(batch: Incoming<C>[], error: unknown): void;
  /** The check itself; replaceable so tests can let a breaking update through. */
  check?: typeof checkUpdate;
}

export class Applier<C extends { readonly id: string }> {
  readonly held = new PendingUpdates<C>();
  private broken = false;

  constructor(private readonly h: ApplyHooks<C>) {}

  /** True once the room was found poisoned: nothing more is applied. */
  get poisoned(): boolean {
    return this.broken;
  }

  apply(batch: Incoming<C>[]): void {
    if (this.broken) return;
    this.h.before?.(batch);
    if (!this.run(batch, true)) return;
    this.retryHeld();
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
      this.h.dropped(conn, "expired");
      if (!this.held.has(conn)) this.h.holding(conn, false);
    }
  }

  /** `conn` closed: what it held goes, nobody will be told. */
  forget(conn: C): void {
    this.held.drop(conn);
  }

  /** Applies in one transaction; false if the room turned out poisoned. `fresh`: the
   * updates just arrived, so one whose sender has updates held must queue behind them
   * (retried updates are already in order). */
  private run(batch: Incoming<C>[], fresh: boolean): boolean {
    const doc = this.h.doc();
    const refused = new Set<string>();
    const newlyHolding = new Map<string, C>();
    let error: unknown = null;
    const rules = this.h.contexts?.();
    try {
      doc.transact(() => {
        for (const { conn, update } of batch) {
          if (refused.has(conn.id)) continue;
          if (fresh && this.held.has(conn)) {
            this.hold(conn, update, newlyHolding, refused);
            continue;
          }
          const verdict = (this.h.check ?? checkUpdate)(doc, update, this.h.rules, this.h.refusedClients(), rules?.of(conn));
          if (verdict.kind === "refused") {
            refused.add(conn.id);
            this.h.refuse(conn, verdict.reason, verdict.close);
          } else if (verdict.kind === "missing") {
            this.hold(conn, update, newlyHolding, refused);
          } else {
            Y.applyUpdate(doc, update, conn);
            if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
              // The check found every dependency, Yjs did not: trust Yjs, keep nothing
              // parked inside the document, and have the sender resync.
              doc.store.pendingStructs = null;
              doc.store.pendingDs = null;
              refused.add(conn.id);
              this.h.dropped(conn, "yjs");
            } else rules?.accepted(conn, verdict);
          }
        }
      }, this.h.origin(batch));
    } catch (err) {
      error = err;
    }
    if (error !== null || isPoisoned(doc)) {
      this.broken = true;
      this.h.poisoned(batch, error);
      return false;
    }
    for (const conn of newlyHolding.values()) if (this.held.has(conn)) this.h.holding(conn, true);
    return true;
  }

  private hold(conn: C, update: Uint8Array, newly: Map<string, C>, refused: Set<string>): void {
    const had = this.held.has(conn);
    const over = this.held.hold(conn, update);
    if (over) {
      refused.add(conn.id);
      this.held.drop(conn);
      this.h.dropped(conn, over);
      if (had) this.h.holding(conn, false);
      return;
    }
    if (!had) newly.set(conn.id, conn);
  }

  /** Re-checks everything held, oldest first, while that makes progress. */
  private retryHeld(): void {
    for (let round = 0; round < 8 && this.held.size > 0; round++) {
      const before = this.held.size;
      const waiting = this.held.takeAll();
      const owners = new Map(waiting.map((w) => [w.conn.id, w.conn]));
      // Whatever still waits goes back, in order; once one update of a sender waits,
      // so do all it sent after it.
      const doc = this.h.doc();
      const ready: Incoming<C>[] = [];
      const blocked = new Set<string>();
      for (const w of waiting) {
        if (!blocked.has(w.conn.id) && checkUpdate(doc, w.update, this.h.rules, this.h.refusedClients()).kind !== "missing") {
          ready.push(w);
        } else {
          blocked.add(w.conn.id);
          this.held.hold(w.conn, w.update, w.since);
        }
      }
      if (ready.length > 0 && !this.run(ready, false)) return;
      for (const conn of owners.values()) if (!this.held.has(conn)) this.h.holding(conn, false);
      if (this.held.size >= before) return;
    }
  }
}
