/**
 * Knowing when a write has reached readers. Every write is one typed character, so a
 * writer's Yjs clock counts its writes: a reader has a write once its state vector
 * holds the writer's clock at or past the write's clock.
 */
import * as Y from "yjs";
import type { YClient } from "../../e2e/support/yclient";
import { clockOf } from "./clients";

interface Pending {
  writer: number;
  clock: number;
  t0: number;
  waiting: Set<YClient>;
  latencies: number[];
  resolve: (latencies: number[]) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Latency probe for readers that apply updates (applyRemote on). One write in flight at a time. */
export class DeliveryProbe {
  private pending: Pending | null = null;
  timeouts = 0;

  constructor(private readonly readers: readonly YClient[]) {
    for (const r of readers) {
      r.onRemoteUpdate = () => this.check(r, performance.now());
    }
  }

  /** Call right before the write is sent: resolves with each reader's latency in ms
   * (missing readers after `timeoutMs` count as timeouts). */
  expect(writer: number, clock: number, timeoutMs: number): Promise<number[]> {
    this.settle();
    return new Promise((resolve) => {
      const p: Pending = {
        writer,
        clock,
        t0: performance.now(),
        waiting: new Set(this.readers),
        latencies: [],
        resolve,
        timer: setTimeout(() => {
          this.timeouts += p.waiting.size;
          this.settle();
        }, timeoutMs),
      };
      this.pending = p;
    });
  }

  private check(r: YClient, now: number): void {
    const p = this.pending;
    if (!p?.waiting.has(r) || clockOf(r, p.writer) < p.clock) return;
    p.waiting.delete(r);
    p.latencies.push(now - p.t0);
    if (p.waiting.size === 0) this.settle();
  }

  private settle(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve(p.latencies);
  }
}

/**
 * Counting deliveries for clients that do not apply updates (throughput): each
 * incoming update's metadata says which writers' clock ranges it carries.
 */
export class DeliveryCounter {
  delivered = 0;
  private readonly writers: Set<number>;

  constructor(clients: readonly YClient[]) {
    this.writers = new Set(clients.map((c) => c.doc.clientID));
    for (const c of clients) {
      const self = c.doc.clientID;
      c.onRemoteUpdate = (update) => {
        const meta = Y.parseUpdateMeta(update);
        for (const [client, to] of meta.to) {
          if (client === self || !this.writers.has(client)) continue;
          this.delivered += to - (meta.from.get(client) ?? 0);
        }
      };
    }
  }
}
