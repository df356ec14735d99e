/**
 * Figure 7, reconnect storm: `clients` clients are connected to a room holding a real
 * document (the friendsforever trace, CC BY 4.0), all drop at once and all reconnect at
 * once; the figure is the time from the reconnect until the last one is synced.
 */
import { encodeSyncFrame, SyncType } from "../../shared/frames";
import { closeAll, openClient, openMany } from "../lib/clients";
import { progress, sleep, withTimeout } from "../lib/log";
import { median } from "../lib/stats";
import type { ReplayedTrace } from "../lib/trace";
import type { Session } from "../lib/session";
import type { BenchServer } from "../servers/types";

export interface StormConfig {
  clients: number;
  runs: number;
}

export interface StormResult {
  clients: number;
  docBytes: number;
  allSyncedMs: number;
  runs: number[];
}

/** Opening seeds the room and connects the clients; one run = all drop, all reconnect. */
export async function stormSession(server: BenchServer, doc: ReplayedTrace, cfg: StormConfig): Promise<Session<StormResult>> {
  const room = await server.createRoom(`storm-${Date.now()}`);
  const seed = await openClient(room, { applyRemote: false });
  for (const u of doc.updates) seed.sendRaw(encodeSyncFrame(SyncType.Update, u));
  if (server.durableAck) await seed.saved(30_000);
  const check = await openClient(room);
  const complete = check.paragraph().toString() === doc.text;
  closeAll([seed, check]);
  if (!complete) throw new Error(`${server.id}: storm document incomplete`);
  // Clients do not apply the document (applyRemote off): the figure is the server's
  // time to answer every handshake and sync, not the bench process decoding 100 copies.
  let clients = await openMany(room, cfg.clients, { applyRemote: false });
  const runs: number[] = [];
  return {
    async once(run, of) {
      closeAll(clients);
      await sleep(500);
      const t0 = performance.now();
      const settled = await withTimeout(
        Promise.allSettled(Array.from({ length: cfg.clients }, () => openClient(room, { applyRemote: false }))),
        60_000,
        "storm",
      );
      const ms = performance.now() - t0;
      clients = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const failed = cfg.clients - clients.length;
      if (failed > 0) throw new Error(`${server.id}: ${failed} of ${cfg.clients} clients failed to reconnect`);
      runs.push(ms);
      progress(`${server.id} reconnect storm run ${run}/${of}: ${cfg.clients} clients synced in ${ms.toFixed(0)} ms`);
    },
    result: () => ({ clients: cfg.clients, docBytes: doc.stateBytes, allSyncedMs: median(runs), runs }),
    close: () => closeAll(clients),
  };
}
