/**
 * Updates held aside because they depend on changes the room does not have yet.
 *
 * Yjs would apply what it can of such an update and park the rest as "pending structs"
 * inside the document: invisible to the update event, so never stored, yet answered
 * "saved"; unbounded (41 × 900 KB were held while 32 bytes were stored); and then
 * written all at once when the missing base arrived (a row too big for SQLite, a
 * snapshot too big to load). Instead the room keeps them here, outside the document:
 *  - bounded per connection and per document (MAX_PENDING_BYTES_*), and counted
 *    against the document's size by the caller;
 *  - retried, in arrival order, after every batch that may have brought their base;
 *  - dropped after MAX_PENDING_MS, or when their connection closes, and their sender
 *    is told to resync;
 *  - never acknowledged: a connection's "saved" waits until none of its updates is held.
 * Memory only: the caller marks holding connections in their state, so that after a
 * hibernation (which forgets this) they are told to resync instead of being acked.
 */
import { MAX_PENDING_BYTES_PER_CONNECTION, MAX_PENDING_BYTES_PER_DOCUMENT, MAX_PENDING_MS } from "../../shared/limits";

export interface Held<C> {
  conn: C;
  update: Uint8Array;
  since: number;
}

export type HoldRefusal = "connection" | "document";

export class PendingUpdates<C extends { readonly id: string }> {
  private held: Held<C>[] = [];
  private readonly perConn = new Map<string, number>();
  /** Bytes held in all. */
  bytes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Holds `update` behind what `conn` already has held; or says which bound it would pass. */
  hold(conn: C, update: Uint8Array, since = this.now()): HoldRefusal | null {
    const mine = this.perConn.get(conn.id) ?? 0;
    if (mine + update.byteLength > MAX_PENDING_BYTES_PER_CONNECTION) return "connection";
    if (this.bytes + update.byteLength > MAX_PENDING_BYTES_PER_DOCUMENT) return "document";
    this.held.push({ conn, update, since });
    this.perConn.set(conn.id, mine + update.byteLength);
    this.bytes += update.byteLength;
    return null;
  }

  has(conn: { readonly id: string }): boolean {
    return this.perConn.has(conn.id);
  }

  get size(): number {
    return this.held.length;
  }

  /** Everything held, oldest first, removed from here (hold again what still waits). */
  takeAll(): Held<C>[] {
    const all = this.held;
    this.clear();
    return all;
  }

  /** Removes and returns what has waited too long. */
  expired(): Held<C>[] {
    const limit = this.now() - MAX_PENDING_MS;
    if (!this.held.some((h) => h.since <= limit)) return [];
    const out: Held<C>[] = [];
    const keep = this.takeAll();
    for (const h of keep) {
      if (h.since <= limit) out.push(h);
      else this.hold(h.conn, h.update, h.since);
    }
    return out;
  }

  /** Removes and returns everything `conn` has held (it closed, or is being cut). */
  drop(conn: { readonly id: string }): Held<C>[] {
    if (!this.has(conn)) return [];
    const out: Held<C>[] = [];
    for (const h of this.takeAll()) {
      if (h.conn.id === conn.id) out.push(h);
      else this.hold(h.conn, h.update, h.since);
    }
    return out;
  }

  private clear(): void {
    this.held = [];
    this.perConn.clear();
    this.bytes = 0;
  }
}
