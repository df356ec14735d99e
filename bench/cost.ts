/**
 * `npx tsx bench/cost.ts [--active=60] [--idle=40]` (after `npm run build`): what
 * Cloudflare would bill for one scripted session, counted on `npm start`'s serving path,
 * converted to $ per 1,000 active editor-hours. Writes bench/results/cost/<stamp>.json
 * (commit, date, machine, arguments, every count) and, with the default arguments, moves
 * bench/results/cost/latest to it; `npm run bench:report` renders the docs' cost tables
 * from that file.
 *
 * The session: 3 editors type 5 characters a second each for 10 minutes, then stay
 * connected and idle for 10 minutes. It runs time-compressed: the typing phase for
 * `active` seconds at the real rate (so batching and hibernation behave as they would),
 * the idle phase for `idle` seconds; counts are scaled to 600 s each (linear in time,
 * because the rate is steady), except what follows fixed rules of the code, said below.
 *
 * Per keystroke each editor sends what the editor page sends (client/src/collab): one
 * Yjs update, one presence (caret) update and, one at a time, a "sync-check" for the
 * "Saved" state; it answers read-checks. Every 20 s it sends "ping", which the Durable
 * Object answers with setWebSocketAutoResponse without waking.
 *
 * Counted: incoming WebSocket messages (billed as requests at 20:1) and HTTP requests,
 * client side; SQLite rows read and written and R2 operations by class, inside the
 * Durable Object (worker/lib/meter.ts, on only with QUIRE_METER=1); the Durable
 * Object's wall time in memory, from the client-side timeline of the events that reach
 * it: a hibernatable object is evicted ~10 s after its last event (measured locally by
 * e2e/hibernation.int.test.ts), so awake time is the union of [event, event + 10 s].
 * That is an upper bound of billed duration: Cloudflare does not bill an idle object
 * that is eligible for hibernation, even before it hibernates. Stored bytes from /stats.
 */
import { writeFileSync } from "node:fs";
import { renderCost, type CostResult } from "./lib/render-cost";
import { runStamp, writeResult } from "./lib/result-files";
import { systemInfo } from "./lib/sysinfo";
import { YClient } from "../e2e/support/yclient";
import { createDoc, docUrl, ROOT, startQuire } from "../e2e/support/server";

const arg = (name: string, dflt: number) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split("=")[1]) : dflt;
};
const ACTIVE_S = arg("active", 60);
const IDLE_S = arg("idle", 40);
const SESSION_ACTIVE_S = 600;
const SESSION_IDLE_S = 600;
const EDITORS = 3;
const CHARS_PER_S = 5;
const PING_S = 20;
const EVICT_AFTER_S = 10;

/** Cloudflare list prices (Workers Paid plan, developers.cloudflare.com pricing pages for
 * Workers, Durable Objects and R2, read 2026-12). Marginal prices, free allowances ignored. */
const PRICE = {
  workerRequestPerM: 0.3,
  doRequestPerM: 0.15,
  doGbSecondPerM: 12.5,
  doMemoryGb: 0.125,
  sqlRowsReadPerM: 0.001,
  sqlRowsWrittenPerM: 1.0,
  sqlStoredGbMonth: 0.2,
  r2ClassAPerM: 4.5,
  r2ClassBPerM: 0.36,
  r2StoredGbMonth: 0.015,
};

interface Meter {
  rowsRead: number;
  rowsWritten: number;
  r2ClassA: number;
  r2ClassB: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const system = systemInfo(ROOT);
  const server = await startQuire({ env: { QUIRE_METER: "1" } });
  const events: number[] = [];
  let wsMessages = 0;
  let pings = 0;
  let httpRequests = 0;
  const t0 = performance.now();
  const mark = () => events.push((performance.now() - t0) / 1000);
  const meter = async (): Promise<Meter> => {
    // The meter logs on activity, at most once a second: a request after a pause makes
    // it log everything so far (this request's own reads are a few rows).
    await sleep(1100);
    const res = await fetch(`${server.http}/api/docs/${doc.id}/stats`, { headers: { authorization: `Bearer ${doc.editToken}` } });
    await res.text();
    await sleep(300);
    const lines = server
      .log()
      .split("\n")
      .filter((l) => l.includes('"event":"meter"'));
    const last = lines.at(-1);
    if (!last) throw new Error("no meter line in the server log (is QUIRE_METER passed on?)");
    return JSON.parse(last.slice(last.indexOf("{"))) as Meter;
  };
  const wakes = () =>
    server
      .log()
      .split("\n")
      .filter((l) => l.includes('"event":"wake"')).length;

  const doc = await createDoc(server);
  httpRequests++;
  mark();
  const clients: YClient[] = [];
  for (let i = 0; i < EDITORS; i++) {
    const c = new YClient(docUrl(server, doc.id, doc.editToken), { deflate: true });
    const send = c.ws.send.bind(c.ws);
    c.ws.send = ((data: unknown, ...rest: unknown[]) => {
      if (data === "ping") pings++;
      else {
        wsMessages++;
        mark();
      }
      return (send as (...a: unknown[]) => void)(data, ...rest);
    }) as typeof c.ws.send;
    httpRequests++; // the upgrade
    mark();
    await Promise.race([c.synced, c.closed.then((e) => Promise.reject(new Error(`closed ${e.code}`)))]);
    c.setPresence({ user: { name: `editor ${i}`, color: "#3366ff" }, cursor: 0 });
    clients.push(c);
  }
  const pingTimers = clients.map((c) => setInterval(() => c.sendText("ping"), PING_S * 1000));
  const inFlight = new Set<YClient>();
  const startMeter = await meter();
  httpRequests++;
  const wakesBefore = wakes();

  // Typing phase, each editor on its own 200 ms clock, staggered.
  const typeStart = (performance.now() - t0) / 1000;
  const typeUntil = performance.now() + ACTIVE_S * 1000;
  await Promise.all(
    clients.map(async (c, i) => {
      await sleep((i * 1000) / CHARS_PER_S / EDITORS);
      let n = 0;
      while (performance.now() < typeUntil) {
        const p = c.paragraph();
        p.insert(p.length, "abcdefghij"[n % 10]!);
        n++;
        c.setPresence({ user: { name: `editor ${i}`, color: "#3366ff" }, cursor: n });
        if (!inFlight.has(c)) {
          inFlight.add(c);
          void c.saved(30_000).finally(() => inFlight.delete(c));
        }
        await sleep(1000 / CHARS_PER_S);
      }
    }),
  );
  const activeMeter = await meter();
  httpRequests++;
  const activeEnd = (performance.now() - t0) / 1000;
  const activeMsgs = wsMessages;

  // Idle phase: connected, pings only.
  await sleep(IDLE_S * 1000);
  const idleMsgs = wsMessages - activeMsgs;
  // Did the room hibernate while idle? A request wakes it; a new "wake" line says it slept.
  const idleMeter = await meter();
  httpRequests++;
  const sleptWhileIdle = wakes() > wakesBefore;
  const stats = (await (
    await fetch(`${server.http}/api/docs/${doc.id}/stats`, { headers: { authorization: `Bearer ${doc.editToken}` } })
  ).json()) as { bytesStored: number; snapshotStoredBytes?: number };
  for (const t of pingTimers) clearInterval(t);
  for (const c of clients) c.ws.terminate();
  await server.stop();

  // Awake time from the timeline: union of [event, event + EVICT_AFTER_S].
  const awake = (from: number, to: number) => {
    let total = 0;
    let end = -Infinity;
    for (const t of events.filter((e) => e >= from && e < to).sort((a, b) => a - b)) {
      const s = Math.max(t, end);
      end = t + EVICT_AFTER_S;
      total += Math.max(0, Math.min(end, to + EVICT_AFTER_S) - s);
    }
    return total;
  };
  const awakeActive = awake(typeStart, activeEnd);
  // The meter's own requests at the phase boundaries are left out of the idle phase.
  const awakeIdle = awake(activeEnd + 2, activeEnd + IDLE_S) + EVICT_AFTER_S;

  const scaleA = SESSION_ACTIVE_S / ACTIVE_S;
  const session = {
    wsMessages: activeMsgs * scaleA + idleMsgs * (SESSION_IDLE_S / IDLE_S),
    pings: (EDITORS * (SESSION_ACTIVE_S + SESSION_IDLE_S)) / PING_S,
    httpRequests: EDITORS + 1,
    // The typing phase's awake share (events every ~67 ms: all of it), then the idle
    // phase's: the eviction tail after the last keystroke plus whatever woke it.
    doSeconds: Math.min(1, awakeActive / (activeEnd - typeStart)) * SESSION_ACTIVE_S + Math.min(awakeIdle, SESSION_IDLE_S),
    rowsRead: (activeMeter.rowsRead - startMeter.rowsRead) * scaleA + startMeter.rowsRead,
    rowsWritten: (activeMeter.rowsWritten - startMeter.rowsWritten) * scaleA + startMeter.rowsWritten,
    // R2: creation's writes as measured, plus one automatic version per VERSION_INTERVAL_MS
    // (10 min) of editing, which a compressed run cannot reach: 1 more put of the snapshot.
    r2ClassA: idleMeter.r2ClassA + 1,
    r2ClassB: idleMeter.r2ClassB,
    storedBytes: stats.bytesStored,
  };
  const editorHours = (EDITORS * (SESSION_ACTIVE_S + SESSION_IDLE_S)) / 3600;
  const per1000 = 1000 / editorHours;
  const gbMonthPerSession = session.storedBytes / 1e9; // kept for a month
  const cost = {
    doRequests: ((session.wsMessages / 20 + session.httpRequests) / 1e6) * PRICE.doRequestPerM,
    workerRequests: (session.httpRequests / 1e6) * PRICE.workerRequestPerM,
    doDuration: ((session.doSeconds * PRICE.doMemoryGb) / 1e6) * PRICE.doGbSecondPerM,
    rowsRead: (session.rowsRead / 1e6) * PRICE.sqlRowsReadPerM,
    rowsWritten: (session.rowsWritten / 1e6) * PRICE.sqlRowsWrittenPerM,
    r2Ops: (session.r2ClassA / 1e6) * PRICE.r2ClassAPerM + (session.r2ClassB / 1e6) * PRICE.r2ClassBPerM,
    storageMonth: gbMonthPerSession * (PRICE.sqlStoredGbMonth + PRICE.r2StoredGbMonth),
  };
  // The floors under the same client traffic (derived, not run): the platform floor
  // (plain YServer, hibernation) writes no rows and keeps nothing; the durable floor
  // appends one row per incoming update (no batching) and never reads it back.
  const keystrokes = EDITORS * CHARS_PER_S * SESSION_ACTIVE_S;
  const floors = {
    platform: cost.doRequests + cost.workerRequests + cost.doDuration,
    durable: cost.doRequests + cost.workerRequests + cost.doDuration + (keystrokes / 1e6) * PRICE.sqlRowsWrittenPerM,
  };
  const total = Object.values(cost).reduce((a, b) => a + b, 0);
  const out = {
    schema: 2,
    date: system.date,
    system,
    argv: process.argv.slice(2),
    // httpRequests includes the bench's own /stats reads, which a session does not make.
    compressed: { activeS: ACTIVE_S, idleS: IDLE_S, activeMsgs, idleMsgs, pings, httpRequests, awakeActive, awakeIdle, sleptWhileIdle },
    meters: { startMeter, activeMeter, idleMeter },
    session,
    editorHours,
    costPerSession: cost,
    totalPerSession: total,
    per1000EditorHours: { quire: total * per1000, platformFloor: floors.platform * per1000, durableFloor: floors.durable * per1000 },
    prices: PRICE,
  };
  // Only the documented session (the defaults) may stand for "the" cost; other lengths
  // are written too, for comparison, without moving `latest`.
  const standard = ACTIVE_S === 60 && IDLE_S === 40;
  const file = writeResult(ROOT, "cost", runStamp(system.date, system.gitCommit, system.gitDirty), out, standard);
  const md = renderCost(out as CostResult);
  console.log(`wrote ${file}${standard ? " (bench/results/cost/latest)" : ""}`);
  // bench/run.ts names the file this run wrote in its own result.
  const record = process.argv.find((a) => a.startsWith("--record="))?.slice("--record=".length);
  if (record) writeFileSync(record, file);
  console.log(md);
  process.exit(0);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
