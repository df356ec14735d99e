/**
 * The hostile-update fuzz tier: a fuzzer sends structurally valid but hostile Yjs
 * updates (e2e/support/hostile.ts: zero-length items, duplicate clocks, missing
 * dependencies, long pending chains, deep nesting, wrong attribute and meta types,
 * unknown nodes and marks, other roots, unsafe links, deletes of unknown items,
 * mutations, client-id floods) through real sockets into a room where two honest editors
 * type, while a script holding the edit link restores two versions alternately over HTTP
 * (a restore storm), and the whole server is killed with SIGKILL and restarted every few
 * seconds. After every restart, every update an honest editor saw acknowledged, or that a
 * reader received, must be stored; every client-id flood that got a verdict was refused
 * with 4507; at the end the honest editors converge, every export answers 200, every
 * version from before the storm is still listed and readable, and no room was ever
 * poisoned.
 */
import * as Y from "yjs";
import { afterAll, expect, it } from "vitest";
import { CloseCode } from "../shared/close-codes";
import { encodeSyncFrame, SyncType } from "../shared/frames";
import { HOSTILE_KINDS, hostile, rng, type HostileKind } from "./support/hostile";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";
import { YClient } from "./support/yclient";

const CYCLES = Number(process.env.HOSTILE_CYCLES ?? 6);
const CYCLE_MS = 4_000;
/** Fuzzing sockets at once: each waits for its verdict, so more of them judge more frames. */
const FUZZERS = 4;
const SEED = Number(process.env.HOSTILE_SEED ?? 0x51ed);
/** Pause between the storm's restores: as fast as a script, without starving the fuzzers. */
const RESTORE_GAP_MS = 50;

let server: QuireServer | undefined;
afterAll(async () => {
  await server?.stop();
});

it(
  `hostile updates through ${CYCLES} kill -9 cycles poison no room and lose no acknowledged update`,
  async () => {
    const rand = rng(SEED);
    server = await startQuire();
    const { port, stateDir } = server;
    const doc = await createDoc(server, "Hostile fuzz");
    const tally = { frames: 0, refusedCloses: 0, resyncCloses: 0, acked: 0, seen: 0, lost: 0, poisoned: 0 };
    const perKind = Object.fromEntries(HOSTILE_KINDS.map((k) => [k, 0])) as Record<HostileKind, number>;
    /** Client-id floods by verdict: "saved", the close code, or "none" (no answer before the kill). */
    const floods: Record<string, number> = {};
    const restores: Record<string, number> = {};
    let logs = "";

    // The versions the storm must not erase: two named by the edit link it will restore
    // back and forth, and whatever else the document has by then.
    const api = (path: string, init: RequestInit & { token: string }) =>
      fetch(`${server!.http}/api/docs/${doc.id}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${init.token}`, "content-type": "application/json" },
      });
    const storm: string[] = [];
    {
      const w = await YClient.open(docUrl(server, doc.id, doc.editToken));
      for (const name of ["before the storm: one", "before the storm: two"]) {
        w.paragraph().insert(0, `${name}. `);
        await w.saved();
        const res = await api("/versions", { method: "POST", token: doc.editToken, body: JSON.stringify({ name }) });
        expect(res.status, name).toBe(201);
        storm.push(((await res.json()) as { id: string }).id);
      }
      await w.close();
    }
    const listVersions = async () =>
      ((await (await api("/versions", { token: doc.viewToken })).json()) as { id: string }[]).map((v) => v.id);
    const beforeStorm = await listVersions();

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const url = docUrl(server, doc.id, doc.editToken);
      const honest = [await YClient.open(url), await YClient.open(url)];
      const reader = await YClient.open(docUrl(server, doc.id, doc.viewToken));
      const mustSurvive: Uint8Array[] = [];
      reader.onRemoteUpdate = (u) => {
        mustSurvive.push(u);
        tally.seen++;
      };
      let running = true;
      const typing = honest.map(async (w, n) => {
        const mine: Uint8Array[] = [];
        w.doc.on("update", (u: Uint8Array, origin: unknown) => {
          if (origin === undefined || origin === null) mine.push(u);
        });
        for (let i = 0; running; i++) {
          const text = w.paragraph();
          text.insert(text.length, `${n}:${cycle}:${i} `);
          if (i % 4 === 3) {
            const upTo = mine.length;
            try {
              await w.saved(2000);
            } catch {
              return;
            }
            mustSurvive.push(...mine.splice(0, upTo));
            tally.acked += upTo;
          }
          await new Promise((r) => setTimeout(r, 5));
        }
      });
      const fuzzing = Array.from({ length: FUZZERS }, async () => {
        let fuzzer: YClient | null = null;
        while (running) {
          if (!fuzzer || fuzzer.closeEvent) {
            if (fuzzer?.closeEvent?.code === 4422) tally.refusedCloses++;
            else if (fuzzer?.closeEvent?.code === 4409) tally.resyncCloses++;
            fuzzer = await YClient.open(url, { applyAwareness: false }).catch(() => null);
            if (!fuzzer) return;
          }
          const kind = HOSTILE_KINDS[Math.floor(rand() * HOSTILE_KINDS.length)]!;
          for (const u of hostile(kind, fuzzer.doc, rand)) {
            fuzzer.sendRaw(encodeSyncFrame(SyncType.Update, u));
            tally.frames++;
          }
          perKind[kind]++;
          // Wait for the verdict (saved, or cut), so every frame is really judged rather
          // than dropped behind a socket that is already closing.
          // Held updates are never acknowledged: do not wait long for those.
          const held = kind === "missing-dependency" || kind === "pending-chain" || kind === "delete-unknown";
          const verdict = await fuzzer.saved(held ? 200 : 3000).then(
            () => "saved",
            () => String(fuzzer?.closeEvent?.code ?? "none"),
          );
          if (kind === "client-id-flood") floods[verdict] = (floods[verdict] ?? 0) + 1;
          // Everything this socket sends next would queue behind what is held: start over.
          if (held) await fuzzer.close().catch(() => {});
        }
        await fuzzer?.close().catch(() => {});
      });
      // The restore storm, from the same edit link, as fast as answered.
      const restoring = (async () => {
        for (let i = 0; running; i++) {
          const status = await api(`/versions/${storm[i % 2]}/restore`, { method: "POST", token: doc.editToken })
            .then(async (res) => {
              await res.body?.cancel();
              return String(res.status);
            })
            .catch(() => "no answer");
          restores[status] = (restores[status] ?? 0) + 1;
          await new Promise((r) => setTimeout(r, RESTORE_GAP_MS));
        }
      })();

      await new Promise((r) => setTimeout(r, CYCLE_MS * (0.6 + rand() * 0.8)));
      logs += server.log();
      await server.kill9();
      running = false;
      await Promise.all([...typing, ...fuzzing, restoring]);
      for (const c of [...honest, reader]) await c.close().catch(() => {});

      await new Promise((r) => setTimeout(r, 500));
      server = await startQuire({ port, stateDir });
      const check = await YClient.open(docUrl(server, doc.id, doc.viewToken));
      const snap = Y.snapshot(check.doc);
      const lost = mustSurvive.filter((u) => !Y.snapshotContainsUpdate(snap, u)).length;
      tally.lost += lost;
      await check.close();
      expect(lost, `cycle ${cycle}: acknowledged or seen updates missing after the restart`).toBe(0);
    }

    // Honest editors still work and converge on the restarted server.
    const a = await YClient.open(docUrl(server, doc.id, doc.editToken));
    const b = await YClient.open(docUrl(server, doc.id, doc.editToken));
    a.paragraph().insert(0, "after the storm ");
    await a.saved();
    await new Promise((r) => setTimeout(r, 300));
    expect(b.text()).toBe(a.text());
    expect(a.text()).toContain("after the storm");
    for (const format of ["md", "html", "txt", "json"]) {
      const res = await fetch(`${server.http}/api/docs/${doc.id}/export?format=${format}`, {
        headers: { authorization: `Bearer ${doc.viewToken}` },
      });
      expect(res.status, format).toBe(200);
    }
    // Nothing from before the storm was erased: each is listed and reads back.
    const after = await listVersions();
    for (const id of beforeStorm) {
      expect(after, `version ${id} from before the storm`).toContain(id);
      const res = await api(`/versions/${id}?format=json`, { token: doc.viewToken });
      expect(res.status, `version ${id} reads back`).toBe(200);
      await res.body?.cancel();
    }
    await a.close();
    await b.close();
    logs += server.log();
    tally.poisoned = (logs.match(/"event":"room-poisoned"/g) ?? []).length;

    console.log(
      `hostile fuzz: ${tally.frames} frames over ${CYCLES} kill -9 cycles (seed ${SEED}), fuzzer cut ${tally.refusedCloses} times with 4422 (refused) and ${tally.resyncCloses} with 4409 (held too long), ` +
        `honest acknowledged ${tally.acked}, seen by reader ${tally.seen}, acknowledged-but-lost ${tally.lost}, rooms poisoned ${tally.poisoned}; ` +
        `client-id floods by close code ${JSON.stringify(floods)}; restores by status ${JSON.stringify(restores)}, ${beforeStorm.length} versions from before the storm all kept (${after.length} now); ` +
        `per kind ${JSON.stringify(perKind)}`,
    );
    expect(tally.poisoned).toBe(0);
    expect(tally.lost).toBe(0);
    expect(tally.acked).toBeGreaterThan(CYCLES * 10);
    expect(tally.refusedCloses).toBeGreaterThan(CYCLES * 10);
    // Every flood the server judged was refused as a flood, and the storm was rate limited.
    const judged = Object.entries(floods).filter(([code]) => code !== "none" && code !== "1006");
    expect(judged.length, JSON.stringify(floods)).toBeGreaterThan(0);
    expect(Object.fromEntries(judged), JSON.stringify(floods)).toEqual({ [String(CloseCode.TooManyClientIds)]: expect.any(Number) });
    expect(restores["429"] ?? 0).toBeGreaterThan(0);
  },
  60_000 + CYCLES * 20_000,
);
