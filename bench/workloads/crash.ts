/**
 * Figure 6, loss on crash: a writer types (one character per update, at `typeRate`/s)
 * while an observer client watches; after a random 1–2.5 s the server's whole process
 * group gets kill -9, ~1 s later it restarts on the same port and state directory and
 * a fresh client counts what survived. Every character is one clock tick of the
 * writer, so "lost" = acknowledged (or seen) clock − recovered clock.
 *  - acknowledged: Quire's "saved" ack (a sync-check every 50 ms); peers have none.
 *  - seen: what the observer (another client) had received before the kill.
 */
import type { YClient } from "../../e2e/support/yclient";
import { clockOf, closeAll, openClient, ownClock, typeChar } from "../lib/clients";
import { progress, prng, sleep } from "../lib/log";
import type { BenchServer, Room } from "../servers/types";

export interface CrashConfig {
  cycles: number;
  typeRate: number;
  minTypeMs: number;
  maxTypeMs: number;
}

export interface CrashCycle {
  typed: number;
  acked: number | null;
  seen: number;
  recovered: number;
  lostAcked: number | null;
  lostSeen: number;
}

export interface CrashResult {
  cycles: CrashCycle[];
  acked: number | null;
  lostAcked: number | null;
  seen: number;
  lostSeen: number;
}

const SAVE_CHECK_MS = 50;

async function typeUntilKilled(server: BenchServer, room: Room, ms: number, rate: number) {
  const writer = await openClient(room);
  const observer = await openClient(room);
  const id = writer.doc.clientID;
  const start = ownClock(writer);
  let acked = start;
  let checking = false;
  const t0 = performance.now();
  let lastCheck = t0;
  for (let typed = 0, now = t0; now - t0 < ms; now = performance.now()) {
    const due = Math.floor(((now - t0) / 1000) * rate);
    for (; typed < due; typed++) typeChar(writer);
    if (server.durableAck && !checking && now - lastCheck >= SAVE_CHECK_MS) {
      checking = true;
      lastCheck = now;
      const clock = ownClock(writer);
      writer.saved(5_000).then(
        () => {
          acked = Math.max(acked, clock);
          checking = false;
        },
        () => (checking = false),
      );
    }
    await sleep(2);
  }
  // Freeze the counts, then crash: nothing that arrives after this line is counted.
  const typedClock = ownClock(writer);
  const ackedClock = acked;
  const seenClock = clockOf(observer, id);
  await server.kill9();
  closeAll([writer, observer]);
  return { id, start, typedClock, ackedClock, seenClock };
}

async function recoveredClock(room: Room, id: number): Promise<number> {
  const c: YClient = await openClient(room);
  const clock = clockOf(c, id);
  closeAll([c]);
  return clock;
}

export async function crash(server: BenchServer, cfg: CrashConfig): Promise<CrashResult | null> {
  if (!server.persists) return null;
  const rand = prng(7);
  const room = await server.createRoom(`crash-${Date.now()}`);
  const cycles: CrashCycle[] = [];
  for (let i = 1; i <= cfg.cycles; i++) {
    const ms = cfg.minTypeMs + rand() * (cfg.maxTypeMs - cfg.minTypeMs);
    const r = await typeUntilKilled(server, room, ms, cfg.typeRate);
    await sleep(1000);
    await server.restart();
    const recovered = await recoveredClock(room, r.id);
    const cycle: CrashCycle = {
      typed: r.typedClock - r.start,
      acked: server.durableAck ? r.ackedClock - r.start : null,
      seen: r.seenClock - r.start,
      recovered: Math.max(0, recovered - r.start),
      lostAcked: server.durableAck ? Math.max(0, r.ackedClock - recovered) : null,
      lostSeen: Math.max(0, r.seenClock - recovered),
    };
    cycles.push(cycle);
    progress(
      `${server.id} crash ${i}/${cfg.cycles} after ${(ms / 1000).toFixed(1)} s: typed ${cycle.typed}, ` +
        `${cycle.acked === null ? "" : `acked ${cycle.acked} (lost ${cycle.lostAcked}), `}seen ${cycle.seen} (lost ${cycle.lostSeen}), recovered ${cycle.recovered}`,
    );
  }
  const sum = (f: (c: CrashCycle) => number) => cycles.reduce((n, c) => n + f(c), 0);
  return {
    cycles,
    acked: server.durableAck ? sum((c) => c.acked ?? 0) : null,
    lostAcked: server.durableAck ? sum((c) => c.lostAcked ?? 0) : null,
    seen: sum((c) => c.seen),
    lostSeen: sum((c) => c.lostSeen),
  };
}
