/**
 * Groups updates that arrive close together so a burst costs one durable commit and
 * one broadcast per peer instead of one per update (~1,100 vs ~34,700 updates/s under
 * `wrangler dev`; docs/BENCHMARKS.md, "Measured before the bench").
 *
 * A lone edit must not wait for a timer (a setTimeout(0) costs ~1 ms in workerd), so
 * the first DIRECT_UPDATES_PER_TICK updates of each tick are applied at once; later
 * ones wait for the tick's end, when everything already queued is applied together.
 * The tick ends when a timer fires, which under load is late, so batches grow with the
 * load. (Ending it when the clock moves instead, to save the ~0.1 ms timer per lone
 * edit, stopped batching under load altogether: the clock advances with every event
 * then, and throughput fell below 1,000 updates/s.)
 *
 * Other frames do not cut the batch (a browser sends a caret move and a save check
 * with its keystrokes, which would shrink every batch to one update): what must follow
 * a connection's queued updates asks `queuedThrough` and waits for `processed` to
 * pass it (acks.ts), or flushes when it must answer at once (a SyncStep1).
 */
import { DIRECT_UPDATES_PER_TICK, MAX_BATCH_BYTES, MAX_BATCH_UPDATES } from "../../shared/limits";

export interface Pending<C> {
  conn: C;
  update: Uint8Array;
  /** The bytes are the sender's own change (a sync "update" frame), not a SyncStep2,
   * which repeats its sender's whole delete set. */
  exact: boolean;
}

export class UpdateBatcher<C> {
  private queue: Pending<C>[] = [];
  /** Bytes waiting in the queue (the document size guard counts them as stored). */
  queuedBytes = 0;
  private directThisTick = 0;
  private tickScheduled = false;
  /** Updates pushed so far, and how many of them have been handed to `apply`. */
  private pushed = 0;
  private done = 0;
  /** The position of each connection's last queued update. */
  private readonly lastOf = new Map<C, number>();

  constructor(private readonly apply: (batch: Pending<C>[]) => void) {}

  push(conn: C, update: Uint8Array, exact = true): void {
    if (!this.tickScheduled) {
      this.tickScheduled = true;
      setTimeout(this.endTick, 0);
    }
    this.pushed += 1;
    if (this.queue.length === 0 && this.directThisTick < DIRECT_UPDATES_PER_TICK) {
      this.directThisTick += 1;
      this.done = this.pushed;
      this.apply([{ conn, update, exact }]);
      return;
    }
    // A batch becomes one stored update: cut it before it grows past MAX_BATCH_BYTES.
    if (this.queue.length > 0 && this.queuedBytes + update.byteLength > MAX_BATCH_BYTES) this.flushBefore(this.pushed);
    this.queue.push({ conn, update, exact });
    this.queuedBytes += update.byteLength;
    this.lastOf.set(conn, this.pushed);
    if (this.queue.length >= MAX_BATCH_UPDATES) this.flush();
  }

  /** Position after which `conn` has nothing queued, or null when nothing of it waits. */
  queuedThrough(conn: C): number | null {
    const last = this.lastOf.get(conn);
    return last !== undefined && last > this.done ? last : null;
  }

  /** Every update up to this position has been handed to `apply`. */
  get processed(): number {
    return this.done;
  }

  /** Applies everything queued (a SyncStep1 answer, an HTTP change, a restore must
   * include everything received before them). */
  flush(): void {
    this.flushBefore(this.pushed + 1);
  }

  /** Forgets what is queued (the room is reloading; their senders were cut). */
  clear(): void {
    this.queue = [];
    this.queuedBytes = 0;
    this.lastOf.clear();
    this.done = this.pushed;
  }

  /** `conn` closed: nothing will wait for its updates any more. */
  forget(conn: C): void {
    this.lastOf.delete(conn);
  }

  /** Applies the queue, which holds the updates before position `next`. */
  private flushBefore(next: number): void {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    this.done = next - 1;
    for (const [conn, at] of this.lastOf) if (at <= this.done) this.lastOf.delete(conn);
    this.apply(batch);
  }

  private readonly endTick = (): void => {
    this.tickScheduled = false;
    this.directThisTick = 0;
    this.flush();
  };
}
