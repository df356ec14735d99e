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
 */
import { DIRECT_UPDATES_PER_TICK, MAX_BATCH_BYTES, MAX_BATCH_UPDATES } from "../../shared/limits";

export interface Pending<C> {
  conn: C;
  update: Uint8Array;
}

export class UpdateBatcher<C> {
  private queue: Pending<C>[] = [];
  /** Bytes waiting in the queue (the document size guard counts them as stored). */
  queuedBytes = 0;
  private directThisTick = 0;
  private tickScheduled = false;

  constructor(private readonly apply: (batch: Pending<C>[]) => void) {}

  push(conn: C, update: Uint8Array): void {
    if (!this.tickScheduled) {
      this.tickScheduled = true;
      setTimeout(this.endTick, 0);
    }
    if (this.queue.length === 0 && this.directThisTick < DIRECT_UPDATES_PER_TICK) {
      this.directThisTick += 1;
      this.apply([{ conn, update }]);
      return;
    }
    // A batch becomes one stored update: cut it before it grows past MAX_BATCH_BYTES.
    if (this.queue.length > 0 && this.queuedBytes + update.byteLength > MAX_BATCH_BYTES) this.flush();
    this.queue.push({ conn, update });
    this.queuedBytes += update.byteLength;
    if (this.queue.length >= MAX_BATCH_UPDATES) this.flush();
  }

  /** Applies everything queued. Callers flush before handling any other frame, so a
   * connection's messages are always processed in the order it sent them. */
  flush(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    this.apply(batch);
  }

  /** Forgets what is queued (the room is reloading; their senders were cut). */
  clear(): void {
    this.queue = [];
    this.queuedBytes = 0;
  }

  private readonly endTick = (): void => {
    this.tickScheduled = false;
    this.directThisTick = 0;
    this.flush();
  };
}
