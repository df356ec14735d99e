/**
 * Figure 3, many rooms: `rooms` rooms × `clientsPerRoom` clients (one writer, the
 * rest readers). Every room's writer types once per second, the rooms staggered
 * evenly; latency is write → each reader applied it. Memory per room is the growth
 * of the server's whole process tree RSS over its fresh baseline, divided by rooms,
 * measured while active and again after `idleMs` without traffic (sockets open).
 */
import type { YClient } from "../../e2e/support/yclient";
import { closeAll, openClient, openMany, ownClock, typeChar } from "../lib/clients";
import { DeliveryProbe } from "../lib/delivery";
import { progress, sleep } from "../lib/log";
import { median, summarize, type LatencySummary } from "../lib/stats";
import type { BenchServer } from "../servers/types";

export interface RoomsConfig {
  rooms: number;
  clientsPerRoom: number;
  writeMs: number;
  idleMs: number;
}

export interface RoomsResult {
  rooms: number;
  clientsPerRoom: number;
  latency: LatencySummary;
  timeouts: number;
  baselineRss: number;
  activeRss: number;
  idleRss: number | null;
  bytesPerRoomActive: number;
  bytesPerRoomIdle: number | null;
}

interface RoomClients {
  writer: YClient;
  readers: YClient[];
  probe: DeliveryProbe;
}

async function steadyRss(server: BenchServer): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push(server.rss());
    await sleep(200);
  }
  return median(samples);
}

export async function rooms(server: BenchServer, cfg: RoomsConfig): Promise<RoomsResult> {
  await sleep(1000);
  const baselineRss = await steadyRss(server);
  const all: RoomClients[] = [];
  try {
    const SETUP_CONCURRENCY = 10;
    for (let i = 0; i < cfg.rooms; i += SETUP_CONCURRENCY) {
      const made = await Promise.all(
        Array.from({ length: Math.min(SETUP_CONCURRENCY, cfg.rooms - i) }, async (_, j) => {
          const room = await server.createRoom(`rooms-${i + j}-${Date.now()}`);
          const writer = await openClient(room);
          const readers = await openMany(room, cfg.clientsPerRoom - 1);
          return { writer, readers, probe: new DeliveryProbe(readers) };
        }),
      );
      all.push(...made);
    }
    progress(`${server.id} rooms: ${cfg.rooms} rooms × ${cfg.clientsPerRoom} clients connected`);
    await Promise.all(
      all.map((r) => {
        r.writer.paragraph();
        return r.probe.expect(r.writer.doc.clientID, ownClock(r.writer), 5_000);
      }),
    );

    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    const gapMs = 1000 / cfg.rooms;
    const t0 = performance.now();
    for (let i = 0; performance.now() - t0 < cfg.writeMs; i++) {
      const r = all[i % all.length]!;
      const wait = r.probe.expect(r.writer.doc.clientID, ownClock(r.writer) + 1, 2_000);
      typeChar(r.writer);
      pending.push(wait.then((l) => void latencies.push(...l)));
      const dueAt = t0 + (i + 1) * gapMs;
      const now = performance.now();
      if (dueAt > now + 1) await sleep(dueAt - now);
      else if (i % 20 === 0) await sleep(0);
    }
    await Promise.all(pending);
    const timeouts = all.reduce((n, r) => n + r.probe.timeouts, 0);
    const activeRss = await steadyRss(server);
    const latency = summarize(latencies);
    progress(
      `${server.id} rooms: p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms; ` +
        `RSS ${(baselineRss / 2 ** 20).toFixed(0)} → ${(activeRss / 2 ** 20).toFixed(0)} MiB`,
    );
    let idleRss: number | null = null;
    if (cfg.idleMs > 0) {
      progress(`${server.id} rooms: idle ${cfg.idleMs / 1000} s with sockets open`);
      await sleep(cfg.idleMs);
      idleRss = await steadyRss(server);
      progress(`${server.id} rooms: idle RSS ${(idleRss / 2 ** 20).toFixed(0)} MiB`);
    }
    return {
      rooms: cfg.rooms,
      clientsPerRoom: cfg.clientsPerRoom,
      latency,
      timeouts,
      baselineRss,
      activeRss,
      idleRss,
      bytesPerRoomActive: (activeRss - baselineRss) / cfg.rooms,
      bytesPerRoomIdle: idleRss === null ? null : (idleRss - baselineRss) / cfg.rooms,
    };
  } finally {
    closeAll(all.flatMap((r) => [r.writer, ...r.readers]));
  }
}
