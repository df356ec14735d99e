/**
 * Figure 2, throughput: `peers` clients in one room, `writers` of them typing (all by
 * default; 1 for "one writer to N readers"), at increasing total rates. A step is sustained when the clients managed to send at the
 * target rate and, at the step's end, the undelivered backlog is under 250 ms worth of
 * traffic; a failed step is retried once before the ramp ends. Clients do not apply remote updates (one Node process plays every peer on
 * the same 2 cores as the server); they count deliveries from each update's metadata.
 * The bench process's own CPU is recorded per step so client-bound steps are visible.
 */
import type { YClient } from "../../e2e/support/yclient";
import { closeAll, openMany, ownClock, typeChar } from "../lib/clients";
import { DeliveryCounter } from "../lib/delivery";
import { progress, sleep } from "../lib/log";
import { cpuDelta } from "../lib/proc";
import { median } from "../lib/stats";
import type { Session } from "../lib/session";
import type { BenchServer } from "../servers/types";

export interface ThroughputConfig {
  peers: number;
  /** How many of the peers type (default: all); the rest only read. */
  writers?: number;
  rates: number[];
  stepMs: number;
  runs: number;
}

export interface StepResult {
  target: number;
  sentPerSec: number;
  deliveredPerSec: number;
  backlogEnd: number;
  clientCpu: number;
  /** Server CPU seconds per second during the step, by process name. */
  serverCpu: Record<string, number>;
  sustained: boolean;
}

export interface ThroughputResult {
  peers: number;
  writers?: number;
  /** Highest sustained incoming updates/s, median over runs (0: not even the lowest rate). */
  maxSustained: number;
  /** Deliveries/s at that step, median over runs. */
  deliveriesPerSec: number;
  /** Bench-process CPU (cores) at that step: near 1.0 means the client was the limit. */
  clientCpu: number;
  runs: StepResult[][];
}

const TICK_MS = 4;
const DRAIN_MS = 5_000;

function totals(writers: YClient[], counter: DeliveryCounter): { sent: number; expected: number; delivered: number } {
  const clocks = writers.map(ownClock);
  const sent = clocks.reduce((a, b) => a + b, 0);
  return { sent, expected: sent * (writers.length - 1), delivered: counter.delivered };
}

async function drain(writers: YClient[], counter: DeliveryCounter): Promise<boolean> {
  const deadline = Date.now() + DRAIN_MS;
  while (Date.now() < deadline) {
    const t = totals(writers, counter);
    if (t.delivered >= t.expected) return true;
    await sleep(20);
  }
  return false;
}

async function step(
  server: BenchServer,
  writers: YClient[],
  typists: YClient[],
  counter: DeliveryCounter,
  rate: number,
  ms: number,
): Promise<StepResult> {
  const start = totals(writers, counter);
  const cpu0 = process.cpuUsage();
  const serverCpu0 = server.cpu();
  const t0 = performance.now();
  let sent = 0;
  let next = 0;
  for (let now = t0; now - t0 < ms; now = performance.now()) {
    // Never more than 20 ms of traffic at once: a client that falls behind stays behind.
    const due = Math.min(Math.floor(((now - t0) / 1000) * rate) - sent, Math.ceil(rate / 50));
    for (let i = 0; i < due; i++) {
      typeChar(typists[next]!);
      next = (next + 1) % typists.length;
      sent++;
    }
    await sleep(TICK_MS);
  }
  const secs = (performance.now() - t0) / 1000;
  const end = totals(writers, counter);
  const cpu = process.cpuUsage(cpu0);
  const serverCpu = Object.fromEntries(Object.entries(cpuDelta(serverCpu0, server.cpu())).map(([k, v]) => [k, v / secs]));
  const backlogEnd = end.expected - end.delivered;
  const sentPerSec = (end.sent - start.sent) / secs;
  const allowed = rate * (writers.length - 1) * 0.25;
  return {
    target: rate,
    sentPerSec,
    deliveredPerSec: (end.delivered - start.delivered) / secs,
    backlogEnd,
    clientCpu: (cpu.user + cpu.system) / 1e6 / secs,
    serverCpu,
    sustained: sentPerSec >= rate * 0.95 && backlogEnd <= allowed,
  };
}

async function ramp(server: BenchServer, cfg: ThroughputConfig, run: number, of: number): Promise<StepResult[]> {
  const room = await server.createRoom(`throughput-${run}-${Date.now()}`);
  const writers = await openMany(room, cfg.peers, { applyRemote: false });
  const counter = new DeliveryCounter(writers);
  const typists = writers.slice(0, cfg.writers ?? cfg.peers);
  const steps: StepResult[] = [];
  try {
    for (const w of writers) typeChar(w); // paragraphs exist before the clock starts
    if (!(await drain(writers, counter))) throw new Error("warm-up writes were not delivered");
    // A step that fails is tried once more (after draining) before the ramp stops, so
    // one burst of load from another process does not end a ramp early.
    for (let i = 0, retried = false; i < cfg.rates.length; ) {
      const rate = cfg.rates[i]!;
      const r = await step(server, writers, typists, counter, rate, cfg.stepMs);
      const drained = await drain(writers, counter);
      steps.push(r);
      progress(
        `${server.id} ${typists.length === 1 ? "one-writer" : "throughput"} run ${run}/${of} @${rate}/s: sent ${r.sentPerSec.toFixed(0)}/s, delivered ${r.deliveredPerSec.toFixed(0)}/s, ` +
          `backlog ${r.backlogEnd}, cpu client ${r.clientCpu.toFixed(2)} server ${fmtCpu(r.serverCpu)} → ${r.sustained ? "sustained" : "NOT sustained"}`,
      );
      if (!drained) break;
      if (r.sustained) {
        i++;
        retried = false;
      } else if (retried) break;
      else retried = true;
      await sleep(300);
    }
  } finally {
    closeAll(writers);
  }
  return steps;
}

/** One run = one ramp in a fresh room. */
export function throughputSession(server: BenchServer, cfg: ThroughputConfig): Session<ThroughputResult> {
  const runs: StepResult[][] = [];
  return {
    async once(run, of) {
      runs.push(await ramp(server, cfg, run, of));
    },
    result() {
      const best = runs.map((steps) => steps.filter((s) => s.sustained).at(-1));
      return {
        peers: cfg.peers,
        writers: cfg.writers ?? cfg.peers,
        maxSustained: median(best.map((b) => b?.target ?? 0)),
        deliveriesPerSec: median(best.map((b) => b?.deliveredPerSec ?? 0)),
        clientCpu: median(best.map((b) => b?.clientCpu ?? Number.NaN)),
        runs,
      };
    },
  };
}

const fmtCpu = (cpu: Record<string, number>): string =>
  Object.entries(cpu)
    .filter(([, v]) => v >= 0.01)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(", ") || "0";
