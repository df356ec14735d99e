/**
 * Figure 1b, typists: `typists` people in one document, each typing ~`charsPerSecond`
 * characters a second at the end of a paragraph of their own, sending per keystroke
 * what the editor page sends (client/src/collab, client/src/editor/caret.ts):
 *  - the Yjs update (y-prosemirror's sync plugin, sent by the provider at once);
 *  - an awareness update with the caret: `cursor: { anchor, head }` as Yjs relative
 *    positions, set by y-prosemirror's cursor plugin after the same transaction (the
 *    provider sends only this client's own state), beside `user: { name, color }`;
 *  - Quire only: the "sync-check" of the Saved state, scheduled by the client's own
 *    SaveTracker (one in flight, SAVE_CHECK_INTERVAL_MS after a change), and a "ping"
 *    every 20 s (QuireProvider). Other servers get the same traffic minus these frames.
 * Every client applies what it receives (documents and presence), as a browser does.
 * (Yjs types are made by YClient: bench/ resolves its own copy of yjs, the peers'.)
 *
 * Latency = keystroke sent → each other typist has applied it (one process, one clock),
 * per (keystroke, other typist); also until the first and until the last other typist
 * had it. Server CPU per keystroke from /proc (whole process tree, user + system) over
 * the typing phase and the drain after it; rows written per keystroke from Quire's
 * opt-in meter (on for Quire in this workload). After the drain: deliveries that never
 * arrived (lost), keystrokes a client joining afterwards does not get, and whether every
 * replica (30 typists and the late joiner) holds the same document.
 */
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { SaveTracker } from "../../client/src/collab/save-tracker";
import { MessageType, SyncType } from "../../shared/frames";
import { CUSTOM_MESSAGE_PREFIX, ClientMessageType, parseServerMessage, ServerMessageType } from "../../shared/protocol";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { YClient } from "../../e2e/support/yclient";
import { clockOf, closeAll, openClient, openMany, ownClock } from "../lib/clients";
import { progress, prng, sleep } from "../lib/log";
import { cpuDelta } from "../lib/proc";
import { median, percentile } from "../lib/stats";
import type { Session } from "../lib/session";
import type { BenchServer } from "../servers/types";

export interface TypistsConfig {
  typists: number;
  charsPerSecond: number;
  seconds: number;
  runs: number;
  /** How long to wait after the last keystroke for every delivery. */
  drainMs: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

export interface TypistsRun {
  keystrokes: number;
  seconds: number;
  /** Per (keystroke, other typist). */
  latency: Percentiles;
  /** Per keystroke, until the first other typist had it. */
  firstOther: Percentiles;
  /** Per keystroke, until every other typist had it (keystrokes some never got left out). */
  lastOther: Percentiles;
  /** (keystroke, other typist) pairs not delivered by the end of the drain. */
  lost: number;
  /** Keystrokes a client that joined after the drain did not receive. */
  missingForLateJoiner: number;
  /** Every typist and the late joiner hold the same document (state vector and content). */
  replicasEqual: boolean;
  serverCpuMsPerKeystroke: number;
  /** The same by process name (ms per keystroke). */
  serverCpuByProcess: Record<string, number>;
  /** Bench process CPU over the phase, cores (near 1.0: the clients were the limit). */
  clientCpu: number;
  rowsWrittenPerKeystroke: number | null;
  /** Frames each client received per second during the phase, by kind. */
  receivedPerClientPerSec: { update: number; awareness: number; saved: number };
  /** Quire's sync-checks sent per keystroke (the client's SaveTracker decides). */
  syncChecksPerKeystroke: number;
}

export interface TypistsResult {
  typists: number;
  charsPerSecond: number;
  seconds: number;
  /** Medians over runs (lost and missing: sums; replicasEqual: every run). */
  latency: Percentiles;
  firstOther: Percentiles;
  lastOther: Percentiles;
  serverCpuMsPerKeystroke: number;
  rowsWrittenPerKeystroke: number | null;
  lost: number;
  missingForLateJoiner: number;
  replicasEqual: boolean;
  receivedPerClientPerSec: TypistsRun["receivedPerClientPerSec"];
  clientCpu: number;
  runs: TypistsRun[];
}

const PING_EVERY_MS = 20_000; // QuireProvider's PING_INTERVAL_MS
const COLORS = ["#1971c2", "#2f9e44", "#e8590c", "#9c36b5", "#c2255c", "#0c8599"];

function percentiles(xs: number[]): Percentiles {
  return {
    p50: percentile(xs, 50),
    p95: percentile(xs, 95),
    p99: percentile(xs, 99),
    max: xs.length ? Math.max(...xs) : Number.NaN,
    samples: xs.length,
  };
}

/** The kind of a binary frame a client received (Hocuspocus prefixes the document name). */
function frameKind(bytes: Uint8Array, hocuspocus: boolean): "update" | "awareness" | "other" {
  try {
    const d = decoding.createDecoder(bytes);
    if (hocuspocus) decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type === MessageType.Awareness) return "awareness";
    if (type === MessageType.Sync || (hocuspocus && type === 4)) return decoding.readVarUint(d) === SyncType.Update ? "update" : "other";
  } catch {
    /* not ours to judge */
  }
  return "other";
}

async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

async function oneRun(server: BenchServer, cfg: TypistsConfig, run: number): Promise<TypistsRun> {
  const room = await server.createRoom(`typists-${run}-${Date.now()}`);
  const clients = await openMany(room, cfg.typists);
  const quire = server.durableAck; // speaks Quire's custom messages
  const hocuspocus = room.opts.hocuspocusName !== undefined;
  const timers: ReturnType<typeof setTimeout>[] = [];
  try {
    const n = clients.length;
    const ids = clients.map((c) => c.doc.clientID);
    const users = clients.map((_, i) => ({ name: `Typist ${i + 1}`, color: COLORS[i % COLORS.length]! }));
    // The editor publishes the user as soon as it mounts, then types into its paragraph.
    const texts = clients.map((c, i) => {
      c.setPresence({ user: users[i] });
      return c.ownParagraph();
    });
    const synced = () => clients.every((r) => ids.every((id, w) => clockOf(r, id) >= ownClock(clients[w]!)));
    if (!(await waitUntil(synced, 20_000))) throw new Error("the typists' paragraphs did not reach everyone");

    // Keystroke bookkeeping: per writer, when each keystroke was sent and the clock it
    // reached; per (reader, writer), the next keystroke the reader has not had yet.
    const sentAt: number[][] = clients.map(() => []);
    const clockAt: number[][] = clients.map(() => []);
    const firstAt: number[][] = clients.map(() => []);
    const got: number[][] = clients.map(() => []);
    const next: number[][] = clients.map(() => clients.map(() => 0));
    const all: number[] = [];
    const last: number[] = [];
    const received = { update: 0, awareness: 0, saved: 0 };
    let syncChecks = 0;

    // Quire's Saved state, driven by the client's own tracker exactly as the editor page does.
    const trackers = clients.map((c) =>
      quire
        ? new SaveTracker(
            (seq) => {
              syncChecks++;
              c.sendText(`${CUSTOM_MESSAGE_PREFIX}${JSON.stringify({ type: ClientMessageType.SyncCheck, seq })}`);
              return true;
            },
            () => {},
          )
        : null,
    );

    clients.forEach((r, ri) => {
      r.onRemoteUpdate = () => {
        const now = performance.now();
        for (let w = 0; w < n; w++) {
          if (w === ri) continue;
          const clock = clockOf(r, ids[w]!);
          const cl = clockAt[w]!;
          let k = next[ri]![w]!;
          for (; k < cl.length && cl[k]! <= clock; k++) {
            const ms = now - sentAt[w]![k]!;
            all.push(ms);
            firstAt[w]![k] ??= ms;
            got[w]![k] = (got[w]![k] ?? 0) + 1;
            if (got[w]![k] === n - 1) last.push(ms);
          }
          next[ri]![w] = k;
        }
      };
      r.ws.on("message", (data, isBinary) => {
        if (isBinary) {
          const kind = frameKind(new Uint8Array(data as ArrayBuffer), hocuspocus);
          if (kind !== "other") received[kind]++;
        } else if (quire) {
          const text = data.toString();
          if (!text.startsWith(CUSTOM_MESSAGE_PREFIX)) return;
          const msg = parseServerMessage(text.slice(CUSTOM_MESSAGE_PREFIX.length));
          if (msg?.type === ServerMessageType.Saved) {
            received.saved++;
            trackers[ri]?.acked(msg.seq);
          }
        }
      });
    });
    const meter0 = await server.readMeter(room);
    const rand = prng(1000 + run);
    const interval = 1000 / cfg.charsPerSecond;
    if (quire) {
      for (const c of clients)
        timers.push(setTimeout(() => timers.push(setInterval(() => c.sendText("ping"), PING_EVERY_MS)), rand() * PING_EVERY_MS));
    }
    const keystroke = (i: number) => {
      const c = clients[i]!;
      const text = texts[i]!;
      const at = performance.now();
      text.insert(text.length, "abcdefghij"[sentAt[i]!.length % 10]!);
      sentAt[i]!.push(at);
      clockAt[i]!.push(ownClock(c));
      // What y-prosemirror's cursor plugin sets after the transaction (anchor = head: a caret).
      c.setPresence({ user: users[i], cursor: YClient.caretAtEnd(text) });
      trackers[i]?.bump();
    };

    const cpu0 = process.cpuUsage();
    const server0 = server.cpu();
    const t0 = performance.now();
    const nextAt = clients.map(() => t0 + rand() * interval);
    for (let now = t0; now - t0 < cfg.seconds * 1000; now = performance.now()) {
      for (let i = 0; i < n; i++) {
        if (now < nextAt[i]!) continue;
        keystroke(i);
        // Mean interval 1/rate, each gap between 0.5 and 1.5 of it.
        nextAt[i]! += interval * (0.5 + rand());
      }
      await sleep(1);
    }
    const keystrokes = sentAt.reduce((s, a) => s + a.length, 0);
    const allIn = () => next.every((row, r) => row.every((k, w) => w === r || k === clockAt[w]!.length));
    await waitUntil(allIn, cfg.drainMs);
    const secs = (performance.now() - t0) / 1000;
    const serverCpu = cpuDelta(server0, server.cpu());
    const cpu = process.cpuUsage(cpu0);
    for (const t of timers) clearInterval(t);
    for (const t of trackers) t?.destroy();
    let lost = 0;
    for (let r = 0; r < n; r++) for (let w = 0; w < n; w++) if (w !== r) lost += clockAt[w]!.length - next[r]![w]!;

    const meter1 = meter0 ? await server.readMeter(room) : null;
    const late = await openClient(room);
    const missingForLateJoiner = clockAt.reduce((s, cl, w) => s + cl.filter((c) => c > clockOf(late, ids[w]!)).length, 0);
    const content = (c: YClient) => c.doc.getXmlFragment(YDOC_CONTENT_FIELD).toString();
    const sv = (c: YClient) => Buffer.from(Y.encodeStateVector(c.doc)).toString("base64");
    const replicasEqual = clients.every((c) => content(c) === content(late) && sv(c) === sv(late));
    closeAll([late]);

    const serverMs = Object.values(serverCpu).reduce((a, b) => a + b, 0) * 1000;
    const result: TypistsRun = {
      keystrokes,
      seconds: secs,
      latency: percentiles(all),
      firstOther: percentiles(firstAt.flatMap((f) => f.filter((x) => x !== undefined))),
      lastOther: percentiles(last),
      lost,
      missingForLateJoiner,
      replicasEqual,
      serverCpuMsPerKeystroke: serverMs / keystrokes,
      serverCpuByProcess: Object.fromEntries(Object.entries(serverCpu).map(([k, v]) => [k, (v * 1000) / keystrokes])),
      clientCpu: (cpu.user + cpu.system) / 1e6 / secs,
      rowsWrittenPerKeystroke: meter0 && meter1 ? (meter1.rowsWritten - meter0.rowsWritten) / keystrokes : null,
      receivedPerClientPerSec: {
        update: received.update / n / secs,
        awareness: received.awareness / n / secs,
        saved: received.saved / n / secs,
      },
      syncChecksPerKeystroke: syncChecks / keystrokes,
    };
    return result;
  } finally {
    for (const t of timers) clearInterval(t);
    closeAll(clients);
  }
}

const medianOfPercentiles = (xs: Percentiles[]): Percentiles => ({
  p50: median(xs.map((x) => x.p50)),
  p95: median(xs.map((x) => x.p95)),
  p99: median(xs.map((x) => x.p99)),
  max: Math.max(...xs.map((x) => x.max)),
  samples: xs.reduce((s, x) => s + x.samples, 0),
});

/** One run = a fresh room, everyone connects, types for `seconds`, drains, leaves. */
export function typistsSession(server: BenchServer, cfg: TypistsConfig): Session<TypistsResult> {
  const runs: TypistsRun[] = [];
  return {
    async once(run, of) {
      const r = await oneRun(server, cfg, run);
      runs.push(r);
      const f = (v: number) => v.toFixed(2);
      progress(
        `${server.id} typists run ${run}/${of}: ${r.keystrokes} keystrokes, to each other p50 ${f(r.latency.p50)} p99 ${f(r.latency.p99)} ms, ` +
          `first other p99 ${f(r.firstOther.p99)} ms, server CPU ${f(r.serverCpuMsPerKeystroke)} ms/keystroke` +
          `${r.rowsWrittenPerKeystroke === null ? "" : `, ${f(r.rowsWrittenPerKeystroke)} rows/keystroke`}, lost ${r.lost}, ` +
          `replicas ${r.replicasEqual ? "equal" : "DIFFER"}, client ${f(r.clientCpu)} cores`,
      );
    },
    result() {
      const rows = runs.map((r) => r.rowsWrittenPerKeystroke).filter((v): v is number => v !== null);
      return {
        typists: cfg.typists,
        charsPerSecond: cfg.charsPerSecond,
        seconds: cfg.seconds,
        latency: medianOfPercentiles(runs.map((r) => r.latency)),
        firstOther: medianOfPercentiles(runs.map((r) => r.firstOther)),
        lastOther: medianOfPercentiles(runs.map((r) => r.lastOther)),
        serverCpuMsPerKeystroke: median(runs.map((r) => r.serverCpuMsPerKeystroke)),
        rowsWrittenPerKeystroke: rows.length > 0 ? median(rows) : null,
        lost: runs.reduce((s, r) => s + r.lost, 0),
        missingForLateJoiner: runs.reduce((s, r) => s + r.missingForLateJoiner, 0),
        replicasEqual: runs.every((r) => r.replicasEqual),
        receivedPerClientPerSec: {
          update: median(runs.map((r) => r.receivedPerClientPerSec.update)),
          awareness: median(runs.map((r) => r.receivedPerClientPerSec.awareness)),
          saved: median(runs.map((r) => r.receivedPerClientPerSec.saved)),
        },
        clientCpu: median(runs.map((r) => r.clientCpu)),
        runs,
      };
    },
  };
}
