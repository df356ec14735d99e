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
 *  - re-checked, in arrival order, only once a Yjs client they refer to has advanced
 *    (`deps`: read from the update once, when it is first held);
 *  - dropped after MAX_PENDING_MS, or when their connection closes, and their sender
 *    is told to resync;
 *  - never acknowledged: a connection's "saved" waits until none of its updates is held.
 * Memory only: the connection's attachment says it is holding (acks.ts), so that after
 * a hibernation (which forgets this) it is told to resync instead of being acked.
 */
import * as Y from "yjs";
import { MAX_PENDING_BYTES_PER_CONNECTION, MAX_PENDING_BYTES_PER_DOCUMENT, MAX_PENDING_MS } from "../../shared/limits";

export interface Held<C> {
  conn: C;
  update: Uint8Array;
  since: number;
  /** The Yjs clients the update refers to: nothing changes for it until one advances. */
  deps: ReadonlySet<number>;
}

export type HoldRefusal = "connection" | "document";

export class PendingUpdates<C extends { readonly id: string }> {
  private held: Held<C>[] = [];
  private readonly perConn = new Map<string, number>();
  /** Bytes held in all. */
  bytes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Holds `update` behind what `conn` already has held; or says which bound it would pass. */
  hold(conn: C, update: Uint8Array, since = this.now(), deps: ReadonlySet<number> = dependencies(update)): HoldRefusal | null {
    const mine = this.perConn.get(conn.id) ?? 0;
    if (mine + update.byteLength > MAX_PENDING_BYTES_PER_CONNECTION) return "connection";
    if (this.bytes + update.byteLength > MAX_PENDING_BYTES_PER_DOCUMENT) return "document";
    this.held.push({ conn, update, since, deps });
    this.perConn.set(conn.id, mine + update.byteLength);
    this.bytes += update.byteLength;
    return null;
  }

  /** Holds again something taken out of here (its wait and dependencies unchanged). */
  rehold(h: Held<C>): void {
    this.held.push(h);
    this.perConn.set(h.conn.id, (this.perConn.get(h.conn.id) ?? 0) + h.update.byteLength);
    this.bytes += h.update.byteLength;
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

  /** True when some sender's first held update refers to one of `advanced`: only then
   * can anything held have become applicable. */
  unblockedBy(advanced: ReadonlySet<number>): boolean {
    if (advanced.size === 0) return false;
    const seen = new Set<string>();
    for (const h of this.held) {
      if (seen.has(h.conn.id)) continue;
      seen.add(h.conn.id);
      for (const client of h.deps) if (advanced.has(client)) return true;
    }
    return false;
  }

  /** Removes and returns what has waited too long. */
  expired(): Held<C>[] {
    const limit = this.now() - MAX_PENDING_MS;
    if (!this.held.some((h) => h.since <= limit)) return [];
    const out: Held<C>[] = [];
    for (const h of this.takeAll()) {
      if (h.since <= limit) out.push(h);
      else this.rehold(h);
    }
    return out;
  }

  /** Removes and returns everything `conn` has held (it closed, or is being cut). */
  drop(conn: { readonly id: string }): Held<C>[] {
    if (!this.has(conn)) return [];
    const out: Held<C>[] = [];
    for (const h of this.takeAll()) {
      if (h.conn.id === conn.id) out.push(h);
      else this.rehold(h);
    }
    return out;
  }

  private clear(): void {
    this.held = [];
    this.perConn.clear();
    this.bytes = 0;
  }
}

/** Every Yjs client an update refers to: its structs', their origins' and parents',
 * and its deletions'. (Read once per held update; the check already proved it readable.) */
export function dependencies(update: Uint8Array): Set<number> {
  const out = new Set<number>();
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    for (const s of structs) {
      out.add(s.id.client);
      if (s instanceof Y.Item) {
        if (s.origin) out.add(s.origin.client);
        if (s.rightOrigin) out.add(s.rightOrigin.client);
        if (s.parent instanceof Y.ID) out.add(s.parent.client);
      }
    }
    for (const client of ds.clients.keys()) out.add(client);
  } catch {
    /* unreadable updates are refused before they are held */
  }
  return out;
}
