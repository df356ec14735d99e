/**
 * Storage numbers for the README, measured end to end against `wrangler dev` (what
 * `npm start` runs) on the automerge-paper trace (259,778 single-character edits):
 *
 *   - snapshot bytes: Yjs V2 raw vs gzip (what the DO stores);
 *   - cold load with the whole trace as a 260k-row update log (no snapshot), and the
 *     compaction that follows it (folding the log into a snapshot);
 *   - cold load from the compacted SQLite snapshot: with a fresh server (cold isolate)
 *     and with a warm isolate but an unloaded Durable Object;
 *   - cold load from R2 only (the DO's SQLite file deleted);
 *   - listing 1,000 versions.
 *
 * Times are from the client: WebSocket open to the server's sync step 2 ("first sync").
 * Run: npm run bench:storage  (builds first if needed; takes a few minutes).
 */
import { rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { gzipSync } from "node:zlib";
import WebSocket from "ws";
import * as Y from "yjs";
import { doDatabaseFor as dbFileFor, wipeDoDatabase } from "../e2e/support/do-files";
import { YClient } from "../e2e/support/yclient";
import { createDoc, docUrl, freePort, startQuire, type QuireServer } from "../e2e/support/server";
import { applyTxn, loadTrace } from "../e2e/support/traces";
import { encodeSyncFrame, SyncType } from "../shared/frames";
import type { Stats, Version } from "../shared/versions";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
/** Copies of the document loaded before the measured one in the "JIT-warm" runs: V8
 * optimises Yjs's decoder only after it has run a few times, as in a busy isolate. */
const WARM_COPIES = Number(process.env.BENCH_WARM_COPIES ?? 4);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** The trace as the editor would store it: one paragraph, one update per edit. */
function traceUpdates(): { updates: Uint8Array[]; text: string } {
  const trace = loadTrace("automerge-paper");
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const p = new Y.XmlElement("paragraph");
  const t = new Y.XmlText();
  p.insert(0, [t]);
  doc.getXmlFragment("default").insert(0, [p]);
  for (const txn of trace.txns) doc.transact(() => applyTxn(t as unknown as Y.Text, txn.patches));
  if (t.toString() !== trace.endContent) throw new Error("trace replay diverged");
  return { updates, text: trace.endContent };
}

/** WebSocket open until the server's sync step 2 (the whole document) has arrived,
 * without applying it: the server side of "first sync". */
function timeStep2(server: QuireServer, id: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ws = new WebSocket(docUrl(server, id, token), { perMessageDeflate: false });
    ws.binaryType = "arraybuffer";
    ws.on("open", () => ws.send(encodeSyncFrame(SyncType.Step1, Y.encodeStateVector(new Y.Doc()))));
    ws.on("message", (data, isBinary) => {
      if (!isBinary) return;
      const b = new Uint8Array(data as ArrayBuffer);
      if (b[0] === 0 && b[1] === SyncType.Step2) {
        resolve(performance.now() - t0);
        ws.close();
      }
    });
    ws.on("error", reject);
  });
}

async function timeFirstSync(server: QuireServer, id: string, token: string): Promise<{ ms: number; client: YClient }> {
  const t0 = performance.now();
  const client = await YClient.open(docUrl(server, id, token));
  return { ms: performance.now() - t0, client };
}

async function stats(server: QuireServer, id: string, token: string): Promise<Stats> {
  const res = await fetch(`${server.http}/api/docs/${id}/stats`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as Stats;
}

async function versions(server: QuireServer, id: string, token: string): Promise<Version[]> {
  const res = await fetch(`${server.http}/api/docs/${id}/versions`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as Version[];
}

async function main(): Promise<void> {
  const out = new Proxy<Record<string, string | number>>(
    {},
    {
      set(target, key, value: string | number) {
        target[String(key)] = value;
        console.log(`  ${String(key)}: ${value}`);
        return true;
      },
    },
  );
  console.log("building the trace's updates…");
  const { updates, text } = traceUpdates();
  const logBytes = updates.reduce((n, u) => n + u.byteLength, 0);
  {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const u of updates) Y.applyUpdate(doc, u);
    });
    const v2 = Y.encodeStateAsUpdateV2(doc);
    out["trace updates"] = updates.length;
    out["log bytes (V1, one row per edit)"] = logBytes;
    out["snapshot bytes, Yjs V2 raw"] = v2.byteLength;
    out["snapshot bytes, V2 + gzip (node zlib, level 6)"] = gzipSync(v2).byteLength;
  }

  const port = await freePort();
  let server = await startQuire({ port });
  const { stateDir } = server;
  const doc = await createDoc(server, "automerge-paper");
  // A second copy, loaded first in the "warm isolate" runs so V8 has already
  // optimised Yjs's decoder for this kind of work, as in a busy production isolate.
  const warmDocs = [];
  for (let i = 0; i < WARM_COPIES; i++) warmDocs.push(await createDoc(server, `automerge-paper (warm-up copy ${i})`));
  await server.stop();
  await sleep(1000);

  // The whole trace as a log of 259,779 rows after the title row, as if the DO had
  // never compacted (the worst case a load can meet).
  for (const file of [doc, ...warmDocs].map((d) => dbFileFor(stateDir, d.id))) {
    const db = new DatabaseSync(file);
    const max = Number((db.prepare("SELECT coalesce(max(id), 0) AS m FROM updates").get() as { m: number }).m);
    db.exec("BEGIN");
    const insert = db.prepare("INSERT INTO updates (id, data) VALUES (?, ?)");
    updates.forEach((u, i) => {
      insert.run(max + 1 + i, u);
    });
    db.exec("COMMIT");
    db.close();
  }

  server = await startQuire({ port, stateDir });
  {
    const { ms: t, client } = await timeFirstSync(server, doc.id, doc.editToken);
    const got = client.text();
    if (got !== text) throw new Error(`260k-row load returned ${got.length} chars, expected ${text.length}`);
    out["cold load, 260k-row log, no snapshot (first sync)"] = ms(t);
    let s = await stats(server, doc.id, doc.editToken);
    for (let i = 0; i < 200 && s.logEntries > 0; i++) {
      await sleep(100);
      s = await stats(server, doc.id, doc.editToken);
    }
    out["load of the 260k-row log, DO-measured (fold into a fresh Y.Doc)"] = ms(s.lastLoadMs ?? NaN);
    out["compaction of it, DO-measured (encode V2 + gzip; commit after)"] = ms(s.lastCompactionMs ?? NaN);
    out["log rows after compaction"] = s.logEntries;
    out["SQLite snapshot bytes (stored, gzip)"] = s.snapshotStoredBytes;
    out["document bytes (V2 raw)"] = s.documentBytes;
    await client.close();
    for (const w of warmDocs) await (await timeFirstSync(server, w.id, w.editToken)).client.close();
  }
  // The last person left: the idle alarm writes the R2 snapshot a few seconds later.
  for (let i = 0; i < 100 && (await versions(server, doc.id, doc.editToken)).length === 0; i++) await sleep(200);
  for (const w of warmDocs) {
    for (let i = 0; i < 100 && (await versions(server, w.id, w.editToken)).length === 0; i++) await sleep(200);
  }
  const v = await versions(server, doc.id, doc.editToken);
  out["R2 versions after last-leave"] = v.map((x) => x.kind).join(",");
  await server.stop();
  await sleep(1000);

  // Cold load from the SQLite snapshot. "step 2" = the server has sent the whole
  // document; "client synced" adds the Node client applying it (311 KB of Yjs V1).
  const rows: Record<string, number[]> = { fresh: [], freshClient: [], warm: [], warmLoad: [], warmDo: [], r2: [], r2Load: [] };
  for (let i = 0; i < REPEATS; i++) {
    server = await startQuire({ port, stateDir });
    rows.fresh!.push(await timeStep2(server, doc.id, doc.viewToken));
    const again = await timeFirstSync(server, doc.id, doc.viewToken); // DO loaded now
    if (again.client.text() !== text) throw new Error("snapshot load diverged");
    await again.client.close();
    await server.stop();
    await sleep(800);

    server = await startQuire({ port, stateDir });
    const cold = await timeFirstSync(server, doc.id, doc.viewToken);
    rows.freshClient!.push(cold.ms);
    await cold.client.close();
    await server.stop();
    await sleep(800);

    server = await startQuire({ port, stateDir });
    for (const w of warmDocs) await timeStep2(server, w.id, w.viewToken); // isolate and JIT warm, our DO not loaded
    await sleep(300);
    rows.warm!.push(await timeStep2(server, doc.id, doc.viewToken));
    rows.warmLoad!.push((await stats(server, doc.id, doc.editToken)).lastLoadMs ?? NaN);
    rows.warmDo!.push(await timeStep2(server, doc.id, doc.viewToken)); // DO already loaded
    await server.stop();
    await sleep(800);
  }
  const fmt = (xs: number[]) => `${ms(median(xs))} (${xs.map((x) => x.toFixed(0)).join(", ")})`;
  out["first sync from SQLite snapshot, fresh server: step 2 received"] = fmt(rows.fresh!);
  out["first sync from SQLite snapshot, fresh server: Node client synced"] = fmt(rows.freshClient!);
  out["first sync from SQLite snapshot, JIT-warm isolate, unloaded DO: step 2"] = fmt(rows.warm!);
  out["  of which the DO's load (inflate + apply), DO-measured"] = fmt(rows.warmLoad!);
  out["first sync, DO already loaded (the floor: encode + send 311 KB)"] = fmt(rows.warmDo!);

  // Cold load from R2 only: the DO's database deleted each time.
  for (let i = 0; i < REPEATS; i++) {
    wipeDoDatabase(stateDir, doc.id);
    server = await startQuire({ port, stateDir });
    for (const w of warmDocs) await timeStep2(server, w.id, w.viewToken);
    await sleep(300);
    rows.r2!.push(await timeStep2(server, doc.id, doc.viewToken));
    rows.r2Load!.push((await stats(server, doc.id, doc.editToken)).lastLoadMs ?? NaN);
    const check = await timeFirstSync(server, doc.id, doc.viewToken);
    if (check.client.text() !== text) throw new Error("R2 recovery diverged");
    await check.client.close();
    await server.stop();
    await sleep(800);
  }
  out["first sync from R2 only (SQLite deleted), JIT-warm isolate: step 2"] = fmt(rows.r2!);
  out["  of which the DO's load after recovery, DO-measured"] = fmt(rows.r2Load!);

  // Listing 1,000 versions.
  server = await startQuire({ port, stateDir });
  const small = await createDoc(server, "many versions");
  const client = await YClient.open(docUrl(server, small.id, small.editToken));
  client.paragraph().insert(0, "a small document");
  await client.saved();
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) {
    const res = await fetch(`${server.http}/api/docs/${small.id}/versions`, {
      method: "POST",
      headers: { authorization: `Bearer ${small.editToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `Version ${i}` }),
    });
    if (res.status !== 201) throw new Error(`naming failed: ${res.status} ${await res.text()}`);
  }
  out["naming 1,000 versions (sequential, each an R2 put)"] = ms(performance.now() - t0);
  const listing: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t1 = performance.now();
    const list = await versions(server, small.id, small.viewToken);
    listing.push(performance.now() - t1);
    if (list.length !== 1000) throw new Error(`listed ${list.length}`);
  }
  out["GET /versions with 1,000 versions (median of 21)"] = ms(median(listing));
  await client.close();
  await server.stop();
  rmSync(stateDir, { recursive: true, force: true });

  console.log("\nStorage bench (automerge-paper trace)\n");
  for (const [k, val] of Object.entries(out)) console.log(`${k.padEnd(72)} ${val}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
