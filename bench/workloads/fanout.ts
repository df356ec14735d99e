/**
 * Figure 1, fan-out latency: one writer, N readers in one room. Each write is one
 * typed character; the next is sent once every reader has applied the previous one
 * (or it timed out), so every write meets an idle room. Latency = write sent →
 * reader applied it, per (write, reader); p50/p99 per run, median over runs.
 */
import { closeAll, openClient, openMany, ownClock, typeChar } from "../lib/clients";
import { DeliveryProbe } from "../lib/delivery";
import { progress, sleep } from "../lib/log";
import { medianOf, summarize, type LatencySummary } from "../lib/stats";
import type { Session } from "../lib/session";
import type { BenchServer } from "../servers/types";

export interface FanoutConfig {
  readers: number[];
  runs: number;
  writes: number;
  warmup: number;
}

export interface FanoutResult {
  readers: number;
  /** Per delivery (write × reader). */
  latency: LatencySummary;
  /** Time until the last reader had the write, per write. */
  lastReader: LatencySummary;
  timeouts: number;
}

const WRITE_TIMEOUT_MS = 2_000;

async function oneRun(server: BenchServer, n: number, run: number, cfg: FanoutConfig) {
  const room = await server.createRoom(`fanout-${n}-${run}-${Date.now()}`);
  const writer = await openClient(room);
  const readers = await openMany(room, n);
  const probe = new DeliveryProbe(readers);
  try {
    const all: number[] = [];
    const last: number[] = [];
    // Create the paragraph first (same tick, so no reader can have it yet).
    writer.paragraph();
    await probe.expect(writer.doc.clientID, ownClock(writer), WRITE_TIMEOUT_MS);
    for (let i = 0; i < cfg.warmup + cfg.writes; i++) {
      const wait = probe.expect(writer.doc.clientID, ownClock(writer) + 1, WRITE_TIMEOUT_MS);
      typeChar(writer);
      const lat = await wait;
      if (i >= cfg.warmup) {
        all.push(...lat);
        if (lat.length === n) last.push(Math.max(...lat));
      }
    }
    return { all: summarize(all), last: summarize(last), timeouts: probe.timeouts };
  } finally {
    closeAll([writer, ...readers]);
  }
}

type RunSample = { all: LatencySummary; last: LatencySummary; timeouts: number };

/** One run = every reader count once, in order. */
export function fanoutSession(server: BenchServer, cfg: FanoutConfig): Session<FanoutResult[]> {
  const runs = new Map<number, RunSample[]>(cfg.readers.map((n) => [n, []]));
  return {
    async once(run, of) {
      for (const n of cfg.readers) {
        const r = await oneRun(server, n, run, cfg);
        runs.get(n)!.push(r);
        progress(
          `${server.id} fan-out 1→${n} run ${run}/${of}: p50 ${r.all.p50.toFixed(2)} ms, p99 ${r.all.p99.toFixed(2)} ms${r.timeouts ? `, ${r.timeouts} timeouts` : ""}`,
        );
        await sleep(200);
      }
    },
    result: () =>
      cfg.readers.map((n) => {
        const rs = runs.get(n)!;
        return {
          readers: n,
          latency: medianOf(rs.map((r) => r.all)),
          lastReader: medianOf(rs.map((r) => r.last)),
          timeouts: rs.reduce((t, r) => t + r.timeouts, 0),
        };
      }),
  };
}
