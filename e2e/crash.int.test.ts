/**
 * Durability under crashes: two writers type a real trace while a reader watches;
 * the whole server process tree is killed with SIGKILL at a random moment, restarted
 * on the same state, and every update that a writer saw acknowledged ("saved") or the
 * reader received must be in the document the restarted server serves.
 */
import * as Y from "yjs";
import { afterAll, expect, it } from "vitest";
import { YClient } from "./support/yclient";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";
import { applyTxn, loadTrace } from "./support/traces";

const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);
const ACK_EVERY_MS = 25;

let server: QuireServer | undefined;
afterAll(async () => {
  await server?.stop();
});

interface Tally {
  sent: number;
  acked: number;
  seen: number;
  lost: number;
}

it(
  `loses no acknowledged or seen update across ${CYCLES} kill -9 cycles`,
  async () => {
    const trace = loadTrace("friendsforever_flat");
    server = await startQuire();
    const { port, stateDir } = server;
    const doc = await createDoc(server, "Crash test");
    const tally: Tally = { sent: 0, acked: 0, seen: 0, lost: 0 };
    let txn = 0;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const url = docUrl(server, doc.id, doc.editToken);
      const writers = [await YClient.open(url), await YClient.open(url)];
      const reader = await YClient.open(url);
      const mustSurvive: Uint8Array[] = [];
      reader.onRemoteUpdate = (u) => {
        mustSurvive.push(u);
        tally.seen++;
      };

      // Each writer records its own updates; an ack covers all sent before the check.
      const stops = writers.map((w) => {
        const sentUpdates: Uint8Array[] = [];
        w.doc.on("update", (u: Uint8Array, origin: unknown) => {
          if (origin !== undefined && origin !== null) return; // remote
          sentUpdates.push(u);
          tally.sent++;
        });
        let running = true;
        const ackLoop = (async () => {
          while (running) {
            const upTo = sentUpdates.length;
            try {
              await w.saved(2000);
            } catch {
              return; // connection died: no more acks
            }
            for (const u of sentUpdates.slice(0, upTo)) mustSurvive.push(u);
            tally.acked += upTo;
            sentUpdates.splice(0, upTo);
            await new Promise((r) => setTimeout(r, ACK_EVERY_MS));
          }
        })();
        return async () => {
          running = false;
          await ackLoop;
        };
      });

      // Type until the kill, alternating writers, a transaction every ~2 ms.
      const killAt = Date.now() + 300 + Math.random() * 1200;
      while (Date.now() < killAt) {
        const w = writers[txn % 2]!;
        const t = trace.txns[txn % trace.txns.length]!;
        w.doc.transact(() => applyTxn(w.paragraph() as never, t.patches));
        txn++;
        await new Promise((r) => setTimeout(r, 2));
      }
      await server.kill9();
      await Promise.all(stops.map((s) => s()));
      for (const c of [...writers, reader]) await c.close().catch(() => {});

      await new Promise((r) => setTimeout(r, 500));
      server = await startQuire({ port, stateDir });
      const check = await YClient.open(docUrl(server, doc.id, doc.viewToken));
      const snap = Y.snapshot(check.doc);
      const lost = mustSurvive.filter((u) => !Y.snapshotContainsUpdate(snap, u)).length;
      tally.lost += lost;
      await check.close();
      expect(lost, `cycle ${cycle}: ${lost} acknowledged/seen updates missing after restart`).toBe(0);
      if ((cycle + 1) % 100 === 0) console.log(`crash loop: ${cycle + 1}/${CYCLES} cycles, ${JSON.stringify(tally)}`);
    }

    console.log(
      `crash loop: ${CYCLES} cycles, sent ${tally.sent}, acknowledged ${tally.acked}, seen by reader ${tally.seen}, lost ${tally.lost}`,
    );
    expect(tally.acked).toBeGreaterThan(CYCLES * 10); // the test really exercised acks
    expect(tally.lost).toBe(0);
  },
  60_000 + CYCLES * 15_000,
); // a cycle is ≤ ~6 s (typing, kill, restart); the soak runs 1,000
