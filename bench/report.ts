/**
 * Renders result files as Markdown: a summary table (Quire, each peer, the floors, Quire
 * against the best peer and against each floor, Quire's target and whether it is met),
 * per-server details, failed rows with their reason and log, and the cost tables.
 *
 * `npm run bench:report` rewrites the generated blocks of README.md and
 * docs/BENCHMARKS.md from the latest result files (bench/results/<mode>/latest):
 *
 *   <!-- bench:<block> source=bench/results/full/<stamp>.json -->
 *   …generated, do not edit…
 *   <!-- /bench:<block> -->
 *
 * Each block names the file it was rendered from; e2e/repo/bench-figures.test.ts renders
 * every block again from that file and fails when the file is missing or the text
 * differs. `--full=<file>`, `--quick=<file>`, `--cost=<file>` pick other files;
 * `--check` only reports blocks that are stale.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { costProvenance, renderCost, renderCostBrief, type CostResult } from "./lib/render-cost";
import { latestResult, readResult, type Mode } from "./lib/result-files";
import type { Failure, Results, ServerResults } from "./lib/results";
import { median } from "./lib/stats";
import type { ServerId } from "./servers/types";

type Dir = "lower" | "higher";
type Values = Partial<Record<ServerId, number | null>>;
type Met = "yes" | "no" | "undecided" | "not judged";

interface Row {
  figure: string;
  /** The workload it comes from: a server whose workload failed shows "failed". */
  workload: string;
  dir: Dir;
  values: Values;
  fmt: (v: number) => string;
  /** The top of a ramp: a value there means "at least", not "exactly". */
  ceiling?: number;
  /** `met` returns null when what it compares with was not measured in the run. */
  target?: { text: string; met: (quire: number, v: Values) => Met | boolean | null };
}

/** Servers Quire competes with. The floors are not: they are Quire's own platform minus
 * Quire, so they are compared separately (what Quire adds on top of them). */
const PEERS: ServerId[] = ["hocuspocus", "y-websocket"];
const FLOORS: { id: ServerId; column: string }[] = [
  { id: "bare", column: "Quire vs platform floor" },
  { id: "bare-durable", column: "Quire vs durable floor" },
];
const NAMES: Record<ServerId, string> = {
  quire: "Quire",
  "quire-plain": "Quire, no deflate",
  "quire-wrangler": "Quire on wrangler dev",
  hocuspocus: "Hocuspocus",
  "y-websocket": "y-websocket-server",
  bare: "y-partyserver bare (platform floor)",
  "bare-durable": "bare + durable append (durable floor)",
};
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const int = (v: number) => Math.round(v).toLocaleString("en-US");
const mib = (v: number) => (v / 2 ** 20).toFixed(v < 10 * 2 ** 20 ? 2 : 0);
const kb = (v: number) => `${(v / 1000).toFixed(1)} KB`;
const yesNo = (v: number) => (v === 1 ? "yes" : "**no**");
const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const atTop = (row: Row, v: number | null | undefined) => row.ceiling !== undefined && num(v) && v >= row.ceiling;

function fmtValue(row: Row, v: number): string {
  return atTop(row, v) ? `≥ ${row.fmt(v)}` : row.fmt(v);
}

function verdict(row: Row): string {
  const q = row.values.quire;
  if (!num(q)) return "–";
  const peers = PEERS.map((id) => [id, row.values[id]] as const).filter((e): e is readonly [ServerId, number] => num(e[1]));
  if (peers.length === 0) return "no peer";
  const [bestId, best] = peers.reduce((a, b) => ((row.dir === "lower" ? b[1] < a[1] : b[1] > a[1]) ? b : a));
  if (atTop(row, q) && atTop(row, best)) return `undecided: both reached the ramp's top (${row.fmt(row.ceiling!)})`;
  if (best === 0 || q === 0) {
    if (q === best) return `ties ${NAMES[bestId]}`;
    const quireBetter = row.dir === "lower" ? q < best : q > best;
    return `${quireBetter ? "wins" : "**loses**"} (${row.fmt(q)} vs ${row.fmt(best)} ${NAMES[bestId]})`;
  }
  const ratio = q / best;
  const better = row.dir === "lower" ? ratio < 0.95 : ratio > 1.05;
  const worse = row.dir === "lower" ? ratio > 1.05 : ratio < 0.95;
  const tag = better ? "wins" : worse ? "**loses**" : "ties";
  return `${tag}: ${ratio.toFixed(2)}× ${NAMES[bestId]}`;
}

/** Quire − floor in the figure's unit, and Quire ÷ floor. */
function vsFloor(row: Row, floor: ServerId): string {
  const q = row.values.quire;
  const f = row.values[floor];
  if (!num(q) || !num(f)) return "–";
  if (atTop(row, q) && atTop(row, f)) return "both at the ramp's top";
  if (q === f) return "same";
  const diff = `${q > f ? "+" : "−"}${row.fmt(Math.abs(q - f))}`;
  return f === 0 ? diff : `${diff} (${(q / f).toFixed(2)}×)`;
}

function metOf(row: Row): Met | null {
  const q = row.values.quire;
  if (!row.target || !num(q)) return null;
  const m = row.target.met(q, row.values);
  return typeof m === "boolean" ? (m ? "yes" : "no") : (m ?? "not judged");
}

const metCell = (m: Met | null) => (m === null ? "" : m === "no" ? "**no**" : m);

function cell(row: Row, s: ServerResults | undefined, id: ServerId): string {
  const v = row.values[id];
  if (v === undefined) return s?.failures?.some((f) => f.workload === row.workload) ? "**failed**" : "–";
  if (v === null || !Number.isFinite(v)) return "n/a";
  return fmtValue(row, v);
}

function values(servers: ServerResults[], pick: (s: ServerResults) => number | null | undefined): Values {
  const out: Values = {};
  for (const s of servers) {
    const v = pick(s);
    if (v !== undefined) out[s.id] = v;
  }
  return out;
}

/** "at most k× the durable floor" (not judged when the floor was not measured). */
const withinFloor = (k: number) => (q: number, v: Values) => (num(v["bare-durable"]) ? q <= k * v["bare-durable"] : null);
const atMostHocuspocus = (q: number, v: Values) => (num(v.hocuspocus) ? q <= v.hocuspocus : null);

function rows(r: Results): Row[] {
  const S = r.servers;
  const out: Row[] = [];
  for (const n of r.profile.fanout.readers) {
    const f = (s: ServerResults) => s.fanout?.find((x) => x.readers === n);
    const at30 = n === 30;
    out.push({
      figure: `Fan-out 1→${n}, p50 ms`,
      workload: "fanout",
      dir: "lower",
      values: values(S, (s) => f(s)?.latency.p50),
      fmt: ms,
      ...(at30 ? { target: { text: "≤ 1.05× durable floor", met: withinFloor(1.05) } } : {}),
    });
    out.push({
      figure: `Fan-out 1→${n}, p99 ms`,
      workload: "fanout",
      dir: "lower",
      values: values(S, (s) => f(s)?.latency.p99),
      fmt: ms,
      ...(at30 ? { target: { text: "≤ Hocuspocus", met: atMostHocuspocus } } : {}),
    });
  }
  const ty = r.profile.typists;
  if (ty) {
    const t = (s: ServerResults) => s.typists;
    const head = `Typists, ${ty.typists} × ${ty.charsPerSecond} keys/s with carets`;
    out.push(
      {
        figure: `${head}: keystroke → each other typist, p50 ms`,
        workload: "typists",
        dir: "lower",
        values: values(S, (s) => t(s)?.latency.p50),
        fmt: ms,
        target: { text: "≤ 1.1× durable floor", met: withinFloor(1.1) },
      },
      {
        figure: "… keystroke → each other typist, p95 ms",
        workload: "typists",
        dir: "lower",
        values: values(S, (s) => t(s)?.latency.p95),
        fmt: ms,
      },
      {
        figure: "… keystroke → each other typist, p99 ms",
        workload: "typists",
        dir: "lower",
        values: values(S, (s) => t(s)?.latency.p99),
        fmt: ms,
        target: { text: "≤ Hocuspocus", met: atMostHocuspocus },
      },
      {
        figure: "… keystroke → first other typist, p99 ms",
        workload: "typists",
        dir: "lower",
        values: values(S, (s) => t(s)?.firstOther.p99),
        fmt: ms,
      },
      {
        figure: "… server CPU per keystroke (ms, all server processes)",
        workload: "typists",
        dir: "lower",
        values: values(S, (s) => t(s)?.serverCpuMsPerKeystroke),
        fmt: ms,
        target: { text: "≤ Hocuspocus", met: atMostHocuspocus },
      },
      {
        figure: "… SQLite rows written per keystroke",
        workload: "typists",
        dir: "lower",
        values: values(S, (s) => (s.typists ? (s.typists.rowsWrittenPerKeystroke ?? null) : undefined)),
        fmt: (v) => v.toFixed(2),
      },
      {
        figure: `… keystroke deliveries lost (missing ${(ty.drainMs / 1000).toFixed(0)} s after the last keystroke)`,
        workload: "typists",
        dir: "lower",
        values: values(S, (s) => (s.typists ? s.typists.lost + s.typists.missingForLateJoiner : undefined)),
        fmt: int,
        target: { text: "0", met: (q) => q === 0 },
      },
      {
        figure: "… every replica identical",
        workload: "typists",
        dir: "higher",
        values: values(S, (s) => (s.typists ? (s.typists.replicasEqual ? 1 : 0) : undefined)),
        fmt: yesNo,
        target: { text: "yes", met: (q) => q === 1 },
      },
      {
        figure: `… keystrokes sent per second (target ${Math.round(ty.typists * ty.charsPerSecond)}; less: the clients fell behind)`,
        workload: "typists",
        dir: "higher",
        values: values(S, (s) => (s.typists ? median(s.typists.runs.map((x) => x.keystrokes / s.typists!.seconds)) : undefined)),
        fmt: (v) => v.toFixed(0),
      },
      {
        figure: "… presence frames received per client per second",
        workload: "typists",
        dir: "lower",
        values: values(S, (s) => t(s)?.receivedPerClientPerSec.awareness),
        fmt: (v) => v.toFixed(0),
      },
    );
  }
  const tp = r.profile.throughput;
  out.push({
    figure: `Throughput, ${tp.peers} peers all typing: max sustained incoming updates/s`,
    workload: "throughput",
    dir: "higher",
    values: values(S, (s) => s.throughput?.maxSustained),
    ceiling: tp.rates.at(-1),
    // 0 means even the lowest rate of the ramp was not sustained.
    fmt: (v) => (v === 0 ? `< ${int(tp.rates[0] ?? 0)}` : int(v)),
    target: { text: "≥ 2,000/s", met: (q) => q >= 2000 },
  });
  out.push({
    figure: "… deliveries/s at that rate",
    workload: "throughput",
    dir: "higher",
    values: values(S, (s) => s.throughput?.deliveriesPerSec),
    fmt: int,
  });
  const st = r.profile.stream;
  if (st) {
    out.push({
      figure: `Throughput, 1 writer → ${st.peers - st.writers} readers: max sustained updates/s`,
      workload: "stream",
      dir: "higher",
      values: values(S, (s) => s.stream?.maxSustained),
      ceiling: st.rates.at(-1),
      fmt: (v) => (v === 0 ? `< ${int(st.rates[0] ?? 0)}` : int(v)),
      target: {
        text: "≥ Hocuspocus",
        met: (q, v) => {
          const h = v.hocuspocus;
          if (!num(h)) return null;
          const top = st.rates.at(-1)!;
          if (h >= top && q >= top) return "undecided";
          return q >= h;
        },
      },
    });
  }
  const rc = r.profile.rooms;
  out.push({
    figure: `${rc.rooms} rooms × ${rc.clientsPerRoom}: RSS per room, active (MiB)`,
    workload: "rooms",
    dir: "lower",
    values: values(S, (s) => s.rooms?.bytesPerRoomActive),
    fmt: mib,
    target: { text: "≤ platform floor + 0.2 MiB", met: (q, v) => (num(v.bare) ? q <= v.bare + 0.2 * 2 ** 20 : null) },
  });
  if (rc.idleMs > 0) {
    out.push({
      figure: `… RSS per room after ${rc.idleMs / 1000} s idle (MiB)`,
      workload: "rooms",
      dir: "lower",
      values: values(S, (s) => s.rooms?.bytesPerRoomIdle),
      fmt: mib,
      target: { text: "≤ 1.22 MiB", met: (q) => q <= 1.22 * 2 ** 20 },
    });
  }
  out.push({
    figure: "… write→reader latency p99 ms",
    workload: "rooms",
    dir: "lower",
    values: values(S, (s) => s.rooms?.latency.p99),
    fmt: ms,
  });
  const cold = (s: ServerResults) => (s.cold === null ? null : s.cold);
  out.push({
    figure: "Cold load, automerge-paper: connect → synced, text readable (ms)",
    workload: "cold",
    dir: "lower",
    values: values(S, (s) => (cold(s) === null ? null : cold(s)?.coldLoadMs)),
    fmt: ms,
    target: { text: "≤ 30 ms", met: (q) => q <= 30 },
  });
  out.push({
    figure: "… bytes received by the client until synced (wire)",
    workload: "cold",
    dir: "lower",
    values: values(S, (s) => (cold(s) === null ? null : cold(s)?.coldBytes)),
    fmt: kb,
  });
  out.push({
    figure: "Storage after replaying automerge-paper: document bytes stored",
    workload: "cold",
    dir: "lower",
    values: values(S, (s) => (cold(s) === null ? null : cold(s)?.storage?.dataBytes)),
    fmt: kb,
  });
  out.push({
    figure: "… after compaction",
    workload: "cold",
    dir: "lower",
    values: values(S, (s) => (cold(s) === null ? null : cold(s)?.storage?.compactedDataBytes)),
    fmt: kb,
    target: { text: "≤ 70 KB", met: (q) => q <= 70_000 },
  });
  out.push({
    figure: "Crash (kill -9): acknowledged updates lost",
    workload: "crash",
    dir: "lower",
    values: values(S, (s) => (s.crash === null ? null : s.crash === undefined ? undefined : s.crash.lostAcked)),
    fmt: int,
    target: { text: "0", met: (q) => q === 0 },
  });
  out.push({
    figure: "Crash (kill -9): updates seen by another client, lost",
    workload: "crash",
    dir: "lower",
    values: values(S, (s) => (s.crash === null ? null : s.crash?.lostSeen)),
    fmt: int,
    target: { text: "0", met: (q) => q === 0 },
  });
  out.push({
    figure: `Reconnect storm: ${r.profile.storm.clients} clients all synced (ms)`,
    workload: "storm",
    dir: "lower",
    values: values(S, (s) => s.storm?.allSyncedMs),
    fmt: ms,
    target: { text: "≤ Hocuspocus", met: atMostHocuspocus },
  });
  out.push({ figure: "Server RSS after start (MiB)", workload: "start", dir: "lower", values: values(S, (s) => s.startRss), fmt: mib });
  if (r.bundle) {
    out.push({
      figure: "Editor page JS+CSS+HTML, gzip",
      workload: "bundle",
      dir: "lower",
      values: { quire: r.bundle.editorPageGzipBytes },
      fmt: kb,
    });
  }
  return out;
}

function summaryTable(r: Results): string {
  const ids = r.servers.map((s) => s.id);
  const byId = new Map(r.servers.map((s) => [s.id, s]));
  const floors = ids.includes("quire") ? FLOORS.filter((f) => ids.includes(f.id)) : [];
  const head = `| figure | ${ids.map((id) => NAMES[id]).join(" | ")} | Quire vs best peer |${floors.map((f) => ` ${f.column} |`).join("")} Quire target | met |`;
  const sep = `|---|${ids.map(() => "---:").join("|")}|---|${floors.map(() => "---:|").join("")}---|:-:|`;
  const lines = rows(r).map((row) => {
    const cells = ids.map((id) => cell(row, byId.get(id), id));
    return `| ${row.figure} | ${cells.join(" | ")} | ${verdict(row)} |${floors.map((f) => ` ${vsFloor(row, f.id)} |`).join("")} ${row.target?.text ?? ""} | ${metCell(metOf(row))} |`;
  });
  return [head, sep, ...lines].join("\n");
}

const quote = (lines: string[]) => lines.map((l) => `    ${l}`).join("\n");

function details(r: Results): string {
  const out: string[] = [];
  for (const s of r.servers) {
    const parts: string[] = [];
    if (s.typists) {
      const t = s.typists;
      const cpu = Object.entries(t.runs[0]?.serverCpuByProcess ?? {})
        .filter(([, v]) => v >= 0.005)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(", ");
      parts.push(
        `- typists (${t.runs.length} run${t.runs.length === 1 ? "" : "s"} of ${t.seconds} s, ${t.runs.map((x) => x.keystrokes).join(" / ")} keystrokes): to each other p50/p95/p99/max ${ms(t.latency.p50)}/${ms(t.latency.p95)}/${ms(t.latency.p99)}/${ms(t.latency.max)} ms; ` +
          `first other ${ms(t.firstOther.p50)}/${ms(t.firstOther.p99)} ms (p50/p99); every other ${ms(t.lastOther.p50)}/${ms(t.lastOther.p99)} ms; ` +
          `server CPU per keystroke by process (run 1, ms): ${cpu || "0"}; client ${t.clientCpu.toFixed(2)} cores; ` +
          `received per client per second: ${t.receivedPerClientPerSec.update.toFixed(0)} updates, ${t.receivedPerClientPerSec.awareness.toFixed(0)} presence, ${t.receivedPerClientPerSec.saved.toFixed(1)} saved acks; ` +
          `lost ${t.lost}, missing for a late joiner ${t.missingForLateJoiner}, replicas ${t.replicasEqual ? "identical" : "**differ**"}`,
      );
    }
    if (s.throughput) {
      const steps = s.throughput.runs.map((run, i) => `run ${i + 1}: ${run.map((x) => `${x.target}${x.sustained ? "✓" : "✗"}`).join(" ")}`);
      const best = s.throughput.runs.map((run) => run.filter((x) => x.sustained).at(-1)).filter((x) => x !== undefined);
      const cpu = best.map(
        (b) =>
          `${b.target}/s: client ${b.clientCpu.toFixed(2)} cores, server ${Object.entries(b.serverCpu)
            .filter(([, v]) => v >= 0.01)
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(", ")}`,
      );
      parts.push(`- throughput ramps (✓ sustained): ${steps.join("; ")}. CPU at the best step — ${cpu.join("; ")}`);
    }
    if (s.stream) {
      const steps = s.stream.runs.map((run, i) => `run ${i + 1}: ${run.map((x) => `${x.target}${x.sustained ? "✓" : "✗"}`).join(" ")}`);
      parts.push(`- one writer → ${s.stream.peers - (s.stream.writers ?? 1)} readers, ramps (✓ sustained): ${steps.join("; ")}`);
    }
    if (s.fanout)
      parts.push(
        `- fan-out, time until the last reader had each write (p50/p99 ms): ${s.fanout.map((f) => `1→${f.readers} ${ms(f.lastReader.p50)}/${ms(f.lastReader.p99)}${f.timeouts ? ` (${f.timeouts} timeouts)` : ""}`).join(", ")}`,
      );
    if (s.rooms)
      parts.push(
        `- rooms: RSS ${mib(s.rooms.baselineRss)} MiB fresh → ${mib(s.rooms.activeRss)} active${s.rooms.idleRss === null ? "" : ` → ${mib(s.rooms.idleRss)} idle`}; latency p50 ${ms(s.rooms.latency.p50)} ms over ${s.rooms.latency.samples} deliveries${s.rooms.timeouts ? `, ${s.rooms.timeouts} timeouts` : ""}`,
      );
    if (s.cold?.storage) {
      const st = s.cold.storage;
      parts.push(
        `- storage: ${int(st.dataBytes)} B of document data${st.logRows ? ` (${st.logRows} log rows)` : ""} in ${int(st.fileBytes)} B of database files; compacted + VACUUM: ${int(st.compactedDataBytes)} B data, ${int(st.compactedFileBytes)} B file. Replay of ${int(s.cold.updatesSent)} updates took ${(s.cold.replayMs / 1000).toFixed(1)} s; cold loads ${s.cold.coldLoadRuns.map(ms).join(", ")} ms${s.cold.intact ? "" : " (**document not intact**)"}`,
      );
    }
    if (s.crash)
      parts.push(
        `- crash cycles: ${s.crash.cycles.map((c) => `typed ${c.typed}${c.acked === null ? "" : `, acked ${c.acked}`}, seen ${c.seen}, recovered ${c.recovered}`).join("; ")}`,
      );
    if (s.storm) parts.push(`- reconnect storm runs: ${s.storm.runs.map(ms).join(", ")} ms`);
    if (s.negotiated) parts.push(`- WebSocket extensions negotiated: ${s.negotiated}`);
    if (s.startRssByCommand)
      parts.push(
        `- RSS after start by process (MiB): ${Object.entries(s.startRssByCommand)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${mib(v)}`)
          .join(", ")}`,
      );
    if (s.machineBusy)
      parts.push(
        `- machine CPU busy before each workload (other processes; servers were stopped): ${Object.entries(s.machineBusy)
          .map(([k, v]) => `${k} ${Math.round(v * 100)}%`)
          .join(", ")}`,
      );
    for (const n of s.notes ?? []) parts.push(`- recovered: ${n}`);
    const failures: Failure[] = s.failures ?? s.errors.map((e) => ({ workload: e.split(":")[0] ?? "", message: e }));
    for (const f of failures) {
      parts.push(`- **failed** (${f.workload}): ${f.log ? `${f.message}; server log kept in \`${f.log}\`` : f.message}`);
      if (f.logTail?.length) parts.push(`\n  Last lines of its log:\n\n${quote(f.logTail)}\n`);
    }
    if (parts.length > 0) out.push(`**${s.label}**\n\n${parts.join("\n")}`);
  }
  if (r.bundle)
    out.push(
      `**Editor page bundle**: ${r.bundle.files.map((f) => `${f.file} ${kb(f.gzipBytes)}`).join(", ")} (gzip -9); raw ${kb(r.bundle.editorPageRawBytes)}; other lazy JS ${kb(r.bundle.otherJsGzipBytes)}`,
    );
  const ttfc = r.extras?.ttfc;
  if (ttfc)
    out.push(
      "error" in ttfc
        ? `**Time to first content in Chromium** (bench/ttfc.ts): **failed**: ${ttfc.error}`
        : `**Time to first content in Chromium** (bench/ttfc.ts, cold Durable Object, automerge-paper): ${ttfc.runs.map((x) => ms(x.ms)).join(" / ")} ms from navigation until the editor shows the last line; socket ${ttfc.runs.map((x) => kb(x.wsBytes)).join(" / ")}, HTTP ${ttfc.runs.map((x) => kb(x.httpBytes)).join(" / ")}`,
    );
  if (ttfc && !("error" in ttfc) && ttfc.editableMs?.length)
    out.push(
      `**Edit link → editable in Chromium** (bench/ttfc.ts, a small document, fresh browser context each, no service worker): ${ttfc.editableMs.map(ms).join(" / ")} ms`,
    );
  const cost = r.extras?.cost;
  if (cost)
    out.push(
      typeof cost === "string"
        ? `**Cost session** (bench/cost.ts): \`${cost}\``
        : `**Cost session** (bench/cost.ts): **failed**: ${cost.error}`,
    );
  return out.join("\n\n");
}

/** Median share of the machine busy with other work before the runs, if it was high. */
function contentionNote(r: Results): string {
  const all = r.servers.flatMap((s) => Object.values(s.machineBusy ?? {})).sort((a, b) => a - b);
  const mid = all[Math.floor(all.length / 2)];
  if (mid === undefined || mid < 0.5) return "";
  return `\n> **Noisy machine:** before a typical run the machine was already ${Math.round(mid * 100)}% busy with other work (servers stopped; other checkouts' tests). Absolute latencies are inflated and throughput deflated for every server; compare servers within this run, not with runs on a quiet machine.\n`;
}

/** Result files before issue 17 recorded no negotiated extension: their clients did not
 * offer compression and Quire was served by `wrangler dev`. */
const beforeIssue17 = (r: Results) => !r.servers.some((s) => s.negotiated !== undefined);

/** Date, profile, commit (and tree state), machine, options and the file itself. */
export function provenance(r: Results, source: string): string {
  const s = r.system;
  const tree = s.gitDirty === undefined ? "tree state not recorded" : s.gitDirty ? "**with uncommitted changes**" : "clean tree";
  const args = r.options ? `; options \`${r.options.argv.join(" ") || "(none)"}\`` : "";
  return `Measured ${s.date.slice(0, 16).replace("T", " ")} UTC (profile **${r.profile.name}**, ${r.durationSec} s, commit ${s.gitCommit}, ${tree}${args}) on ${s.cpu}, ${s.cores} cores, ${s.memGiB} GiB RAM, ${s.os}; load average at start ${s.loadAvgAtStart.join(" / ")}. Source: \`${source}\`.`;
}

export function renderMarkdown(r: Results, source: string): string {
  const v = r.system.versions;
  const floor = r.servers.some((s) => s.id === "bare");
  const durableFloor = r.servers.some((s) => s.id === "bare-durable");
  const old = beforeIssue17(r);
  const serving = old
    ? "Quire runs as `npm start` served it then (`wrangler dev` → workerd, one Durable Object per document, SQLite, every update durable before broadcast)"
    : "Quire runs as `npm start` serves it (scripts/serve.mjs: one workerd through Miniflare, one Durable Object per document, SQLite, every update durable before broadcast)";
  const clients = old
    ? "the same raw y-websocket client, which did not offer `permessage-deflate` (runs before issue 17)"
    : 'the same raw y-websocket client, which offers `permessage-deflate` as browsers do (each server accepts or declines it; see "negotiated" below), except in the "Quire, no deflate" column, where it does not';
  const floorNote =
    (floor
      ? ` The platform floor is a plain y-partyserver \`YServer\` Durable Object (hibernation on; no persistence, auth or custom messages) served the same way as Quire; "Quire vs platform floor" is Quire − floor (Quire ÷ floor): what Quire's own code adds to what the serving path and workerd cost anyway.`
      : "") +
    (durableFloor
      ? ` The durable floor is that same \`YServer\` appending each update to SQLite before its broadcast (no batching, snapshots or loading): "Quire vs durable floor" is what Quire adds beyond the cost of its durability rule.`
      : "");
  const typists = r.profile.typists
    ? ` Typists: Quire's rows written come from its opt-in meter (\`QUIRE_METER=1\`, worker/lib/meter.ts), on for Quire in that workload only.`
    : "";
  return `## Benchmark: Quire vs Hocuspocus vs y-websocket-server${floor ? ", and the platform floor" : ""}

${provenance(r, source)}
Versions: Node ${v["node"]}, wrangler ${v["wrangler"]}, ${v["workerd"]}, y-partyserver ${v["y-partyserver"]}, yjs ${v["yjs"]} (all servers), Hocuspocus ${v["@hocuspocus/server"]} + extension-sqlite ${v["@hocuspocus/extension-sqlite"]} (better-sqlite3 ${v["better-sqlite3"]}), @y/websocket-server ${v["@y/websocket-server"]}.
All servers on loopback, driven by one Node process with ${clients}; figures are medians over runs. ${serving}; Hocuspocus with its SQLite extension at default debounce; y-websocket-server in memory (the Node floor).${floorNote}${typists} "n/a": not applicable (no persistence, or no durability ack); "≥": the top of the ramp was sustained, so the real limit is unknown.
${contentionNote(r)}
${summaryTable(r)}

${details(r)}

Traces: automerge-paper and friendsforever_flat from Joseph Gentle's editing-traces (https://github.com/josephg/editing-traces), CC BY 4.0. Method: bench/README.md.
`;
}

/** README's short table: the figures issue 24 sets targets for, Quire beside its peers and its durable floor. */
export function renderReadme(r: Results, source: string): string {
  const all = rows(r);
  const byId = new Map(r.servers.map((s) => [s.id, s]));
  const ids = (["quire", "hocuspocus", "y-websocket", "bare-durable"] as ServerId[]).filter((id) => byId.has(id));
  const pick = (figure: string) => all.find((x) => x.figure.endsWith(figure));
  const lines: string[] = [];
  const add = (label: string, parts: (Row | undefined)[]) => {
    const present = parts.filter((p): p is Row => p !== undefined && Object.keys(p.values).length > 0);
    if (present.length === 0) return;
    const cells = ids.map((id) => present.map((p) => cell(p, byId.get(id), id)).join(" / "));
    const targets = present.filter((p) => p.target);
    const met = targets.map((p) => metCell(metOf(p)) || "–").join(" / ");
    lines.push(`| ${label} | ${cells.join(" | ")} | ${targets.map((p) => p.target!.text).join("; ")} | ${met} |`);
  };
  const ty = r.profile.typists;
  if (ty) {
    add(`${ty.typists} typists with carets: keystroke → each other, p50 / p99 ms`, [
      pick("keystroke → each other typist, p50 ms"),
      pick("keystroke → each other typist, p99 ms"),
    ]);
    add("… keystroke → first other typist, p99 ms", [pick("keystroke → first other typist, p99 ms")]);
    add("… server CPU per keystroke, ms", [pick("server CPU per keystroke (ms, all server processes)")]);
    add("… SQLite rows written per keystroke", [pick("SQLite rows written per keystroke")]);
    add("… deliveries lost / replicas identical", [pick("s after the last keystroke)"), pick("every replica identical")]);
  }
  add("fan-out 1→30, p50 / p99 ms", [pick("Fan-out 1→30, p50 ms"), pick("Fan-out 1→30, p99 ms")]);
  const st = r.profile.stream;
  if (st) add(`one writer → ${st.peers - st.writers} readers, updates/s`, [pick("readers: max sustained updates/s")]);
  add(`reconnect storm, ${r.profile.storm.clients} clients, ms`, [pick("clients all synced (ms)")]);
  const rc = r.profile.rooms;
  add(`RSS per active room (${rc.rooms} rooms × ${rc.clientsPerRoom}), MiB`, [pick("RSS per room, active (MiB)")]);
  if (rc.idleMs > 0) add(`… per idle room, MiB`, [pick(`RSS per room after ${rc.idleMs / 1000} s idle (MiB)`)]);
  add("cold open of automerge-paper: connect → synced, ms", [pick("connect → synced, text readable (ms)")]);
  add("kill -9: updates seen by another client, lost", [pick("updates seen by another client, lost")]);
  add("server RSS after start, MiB", [pick("Server RSS after start (MiB)")]);
  const failed = r.servers.flatMap((s) => (s.failures ?? []).map((f) => `${NAMES[s.id]} (${f.workload}): ${f.message}`));
  const head = `| figure | ${ids.map((id) => (id === "bare-durable" ? "durable floor" : NAMES[id])).join(" | ")} | target | met |`;
  const sep = `|---|${ids.map(() => "---:").join("|")}|---|:-:|`;
  const s = r.system;
  return [
    `${r.profile.name === "full" ? "Full" : "Quick"} run of ${s.date.slice(0, 16).replace("T", " ")} UTC, commit ${s.gitCommit}${s.gitDirty ? " with uncommitted changes" : ""}, ${s.cores} cores, load average ${s.loadAvgAtStart[0]} at start (\`${source}\`${beforeIssue17(r) ? "; before issue 17: `wrangler dev`, clients without `permessage-deflate`" : "; clients offer `permessage-deflate` as browsers do"}). "≥": the top of the ramp; "undecided": every server reached it.`,
    "",
    head,
    sep,
    ...lines,
    ...(failed.length > 0 ? ["", `Failed rows: ${failed.join("; ")}.`] : []),
  ].join("\n");
}

// ---------------------------------------------------------------- generated blocks

/** The blocks the docs may hold, each rendered from one mode's result file. */
const BLOCKS: Record<string, { mode: Mode; render: (root: string, source: string) => string }> = {
  readme: { mode: "full", render: (root, src) => renderReadme(readResult<Results>(root, src), src) },
  full: { mode: "full", render: (root, src) => renderMarkdown(readResult<Results>(root, src), src) },
  quick: { mode: "quick", render: (root, src) => renderMarkdown(readResult<Results>(root, src), src) },
  "cost-brief": {
    mode: "cost",
    render: (root, src) => {
      const c = readResult<CostResult>(root, src);
      return `${renderCostBrief(c)}\n\nMeasured ${costProvenance(c, src)}.`;
    },
  },
  cost: {
    mode: "cost",
    render: (root, src) => {
      const c = readResult<CostResult>(root, src);
      return `Measured ${costProvenance(c, src)}.\n\n${renderCost(c)}`;
    },
  },
};

/** Files holding generated blocks. */
export const GENERATED_FILES = ["README.md", "docs/BENCHMARKS.md"];

export interface Block {
  name: string;
  source: string;
  /** Offsets of the text between the markers. */
  from: number;
  to: number;
  body: string;
}

const OPEN = /<!-- bench:([a-z-]+) source=(\S+) -->\n/g;

export function findBlocks(text: string): Block[] {
  const out: Block[] = [];
  for (const m of text.matchAll(OPEN)) {
    const from = m.index + m[0].length;
    const close = `<!-- /bench:${m[1]} -->`;
    const to = text.indexOf(close, from);
    if (to < 0) throw new Error(`bench:${m[1]} has no closing marker`);
    out.push({ name: m[1]!, source: m[2]!, from, to, body: text.slice(from, to) });
  }
  return out;
}

/** The text a block must hold, rendered from its source file. */
export function renderBlock(root: string, name: string, source: string): string {
  const block = BLOCKS[name];
  if (!block) throw new Error(`unknown generated block bench:${name}`);
  if (!existsSync(join(root, source))) throw new Error(`bench:${name}: its source ${source} does not exist`);
  return `${block.render(root, source).trimEnd()}\n`;
}

/** Rewrites every block of `file` from the latest result of its mode (or `pick`). */
export function regenerate(root: string, file: string, pick: Partial<Record<Mode, string>>): string[] {
  const path = join(root, file);
  let text = readFileSync(path, "utf8");
  const changed: string[] = [];
  for (const b of findBlocks(text).reverse()) {
    const mode = BLOCKS[b.name]?.mode;
    if (!mode) throw new Error(`${file}: unknown generated block bench:${b.name}`);
    const source = pick[mode] ?? latestResult(root, mode);
    if (!source) throw new Error(`${file}: bench:${b.name} needs a ${mode} result (bench/results/${mode}/latest is missing)`);
    const open = `<!-- bench:${b.name} source=${source} -->\n`;
    const body = renderBlock(root, b.name, source);
    const start = text.lastIndexOf("<!-- bench:", b.from - 1);
    const next = `${text.slice(0, start)}${open}${body}${text.slice(b.to)}`;
    if (next !== text) changed.push(`bench:${b.name} ← ${source}`);
    text = next;
  }
  writeFileSync(path, text);
  return changed;
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const pick: Partial<Record<Mode, string>> = {};
  let check = false;
  for (const arg of process.argv.slice(2)) {
    const [k, v = ""] = arg.split("=", 2);
    if (k === "--full" || k === "--quick" || k === "--cost") pick[k.slice(2) as Mode] = v;
    else if (k === "--check") check = true;
    else throw new Error(`unknown option ${arg} (bench:report [--full=file] [--quick=file] [--cost=file] [--check])`);
  }
  if (check) {
    let stale = 0;
    for (const file of GENERATED_FILES) {
      for (const b of findBlocks(readFileSync(join(root, file), "utf8"))) {
        const latest = pick[BLOCKS[b.name]?.mode ?? "full"] ?? latestResult(root, BLOCKS[b.name]?.mode ?? "full");
        if (b.source !== latest || b.body !== renderBlock(root, b.name, b.source)) {
          stale++;
          console.log(`${file}: bench:${b.name} is rendered from ${b.source}; latest is ${latest}`);
        }
      }
    }
    process.exit(stale > 0 ? 1 : 0);
  }
  for (const file of GENERATED_FILES) {
    const changed = regenerate(root, file, pick);
    console.log(`${file}: ${changed.length > 0 ? changed.join(", ") : "up to date"}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
