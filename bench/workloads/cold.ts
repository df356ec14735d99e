/**
 * Figures 4 and 5, a persisted real document: the automerge-paper trace (259,778
 * keystroke transactions, CC BY 4.0) is replayed into a fresh room as a stream of
 * updates (`txnsPerUpdate` transactions each, paced at `sendRate`/s), the server is
 * stopped gracefully and its database measured (storage.ts), then it is restarted
 * `runs` times and each time a new client is timed from connect to synced.
 */
import { encodeSyncFrame, SyncType } from "../../shared/frames";
import { closeAll, openClient } from "../lib/clients";
import { progress, sleep, withTimeout } from "../lib/log";
import { measureStorage, type StorageFigures } from "../lib/storage";
import { median } from "../lib/stats";
import type { ReplayedTrace } from "../lib/trace";
import type { Session } from "../lib/session";
import type { BenchServer, Room } from "../servers/types";

export interface ColdConfig {
  sendRate: number;
}

export interface ColdResult {
  updatesSent: number;
  replayMs: number;
  storage: StorageFigures | null;
  coldLoadMs: number | null;
  coldLoadRuns: number[];
  /** Bytes the client received until synced (TCP payload: handshake response and
   * frames, compressed if the server accepted permessage-deflate), median of the runs. */
  coldBytes?: number | null;
  coldBytesRuns?: number[];
  /** Every cold load returned the full document. */
  intact: boolean;
}

/** Every persisting server gets the same quiet time after the last client leaves,
 * before the graceful stop: Hocuspocus stores on a 2 s debounce and when the last
 * client leaves; Quire folds its update log into a snapshot when the last person
 * leaves. Both are what a room that went quiet looks like. */
const SETTLE_MS = 3_000;

async function replay(server: BenchServer, room: Room, trace: ReplayedTrace, cfg: ColdConfig): Promise<number> {
  const writer = await openClient(room, { applyRemote: false });
  const t0 = performance.now();
  for (let i = 0; i < trace.updates.length; ) {
    const due = Math.min(trace.updates.length, Math.floor(((performance.now() - t0) / 1000) * cfg.sendRate) + 1);
    for (; i < due; i++) writer.sendRaw(encodeSyncFrame(SyncType.Update, trace.updates[i]!));
    await sleep(5);
  }
  if (server.durableAck) await writer.saved(60_000);
  // Everyone: a second client must see the whole document before we call it stored.
  const check = await openClient(room);
  const ok = check.paragraph().toString() === trace.text;
  const ms = performance.now() - t0;
  closeAll([writer, check]);
  if (!ok) throw new Error(`${server.id}: the replayed document did not arrive intact`);
  return ms;
}

/** Opening replays the trace and measures storage (server left stopped); one run =
 * restart, time one cold load, stop. Null for servers that do not persist. */
export async function coldSession(server: BenchServer, trace: ReplayedTrace, cfg: ColdConfig): Promise<Session<ColdResult | null>> {
  if (!server.persists) return { once: async () => {}, result: () => null };
  const room = await server.createRoom(`automerge-paper-${Date.now()}`);
  const replayMs = await replay(server, room, trace, cfg);
  progress(`${server.id} cold: replayed ${trace.updates.length} updates in ${(replayMs / 1000).toFixed(1)} s`);
  await sleep(SETTLE_MS);
  await server.stop();
  const storage = measureStorage(server.id, server.stateDir);
  if (storage) {
    progress(
      `${server.id} storage: ${storage.dataBytes} data bytes (${storage.logRows} log rows), ${storage.fileBytes} file bytes; ` +
        `compacted ${storage.compactedDataBytes} data / ${storage.compactedFileBytes} file bytes`,
    );
  }
  const runs: number[] = [];
  const bytes: number[] = [];
  let intact = true;
  return {
    async once(run, of) {
      await server.restart();
      try {
        const t0 = performance.now();
        const c = await withTimeout(openClient(room), 30_000, "cold load");
        const ms = performance.now() - t0;
        bytes.push((c.ws as unknown as { _socket: { bytesRead: number } })._socket.bytesRead);
        intact &&= c.paragraph().toString() === trace.text;
        closeAll([c]);
        runs.push(ms);
        progress(`${server.id} cold load run ${run}/${of}: ${ms.toFixed(1)} ms`);
      } finally {
        await server.stop();
      }
    },
    result: () => ({
      updatesSent: trace.updates.length,
      replayMs,
      storage,
      coldLoadMs: median(runs),
      coldLoadRuns: runs,
      coldBytes: median(bytes),
      coldBytesRuns: bytes,
      intact,
    }),
  };
}
