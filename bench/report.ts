/**
 * Renders results as Markdown: a summary table (Quire, each peer, the platform floor,
 * Quire against the best peer and against the floor, Quire's target and whether it is
 * met) and per-figure details. Where Quire loses, the table says so. Also refreshes
 * the marked section of docs/BENCHMARKS.md.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Results, ServerResults } from "./lib/results";
import type { ServerId } from "./servers/types";

type Dir = "lower" | "higher";
type Values = Partial<Record<ServerId, number | null>>;

interface Row {
  figure: string;
  dir: Dir;
  values: Values;
  fmt: (v: number) => string;
  target?: { text: string; met: (quire: number, v: Values) => boolean };
}

/** Servers Quire competes with. The floor is not one: it is Quire's own platform minus
 * Quire, so it is compared separately (what Quire adds on top of it). */
const PEERS: ServerId[] = ["hocuspocus", "y-websocket"];
/** Floors, each with the column saying what Quire adds to it. The durable floor is the
 * platform floor plus a durable append per update: what the durability rule costs. */
const FLOORS: { id: ServerId; column: string }[] = [
  { id: "bare", column: "Quire vs platform floor" },
  { id: "bare-durable", column: "Quire vs durable floor" },
];
const FLOOR: ServerId = "bare";
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

function verdict(row: Row): string {
  const q = row.values.quire;
  if (q === null || q === undefined || !Number.isFinite(q)) return "–";
  const peers = PEERS.map((id) => [id, row.values[id]] as const).filter(
    (e): e is readonly [ServerId, number] => typeof e[1] === "number" && Number.isFinite(e[1]),
  );
  if (peers.length === 0) return "no peer";
  const [bestId, best] = peers.reduce((a, b) => ((row.dir === "lower" ? b[1] < a[1] : b[1] > a[1]) ? b : a));
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
  if (typeof q !== "number" || typeof f !== "number" || !Number.isFinite(q) || !Number.isFinite(f)) return "–";
  if (q === f) return "same";
  const diff = `${q > f ? "+" : "−"}${row.fmt(Math.abs(q - f))}`;
  return f === 0 ? diff : `${diff} (${(q / f).toFixed(2)}×)`;
}

function fmtCell(v: number | null | undefined, fmt: (v: number) => string): string {
  if (v === undefined) return "–";
  if (v === null || !Number.isFinite(v)) return "n/a";
  return fmt(v);
}

function values(servers: ServerResults[], pick: (s: ServerResults) => number | null | undefined): Values {
  const out: Values = {};
  for (const s of servers) {
    const v = pick(s);
    if (v !== undefined) out[s.id] = v;
  }
  return out;
}

function rows(r: Results): Row[] {
  const S = r.servers;
  const out: Row[] = [];
  const hocus = (v: Values, q: number) => v.hocuspocus === undefined || v.hocuspocus === null || q <= v.hocuspocus;
  for (const n of r.profile.fanout.readers) {
    const f = (s: ServerResults) => s.fanout?.find((x) => x.readers === n);
    const at30 = n === 30;
    out.push({
      figure: `Fan-out 1→${n}, p50 ms`,
      dir: "lower",
      values: values(S, (s) => f(s)?.latency.p50),
      fmt: ms,
      ...(at30 ? { target: { text: "≤ 3 ms, ≤ Hocuspocus", met: (q: number, v: Values) => q <= 3 && hocus(v, q) } } : {}),
    });
    out.push({
      figure: `Fan-out 1→${n}, p99 ms`,
      dir: "lower",
      values: values(S, (s) => f(s)?.latency.p99),
      fmt: ms,
      ...(at30 ? { target: { text: "≤ 10 ms, ≤ Hocuspocus", met: (q: number, v: Values) => q <= 10 && hocus(v, q) } } : {}),
    });
  }
  const peers = r.profile.throughput.peers;
  out.push({
    figure: `Throughput, ${peers} peers all typing: max sustained incoming updates/s`,
    dir: "higher",
    values: values(S, (s) => s.throughput?.maxSustained),
    // 0 means even the lowest rate of the ramp was not sustained.
    fmt: (v) => (v === 0 ? `< ${int(r.profile.throughput.rates[0] ?? 0)}` : int(v)),
    target: { text: "≥ 2,000/s", met: (q) => q >= 2000 },
  });
  out.push({ figure: "… deliveries/s at that rate", dir: "higher", values: values(S, (s) => s.throughput?.deliveriesPerSec), fmt: int });
  const st = r.profile.stream;
  if (st) {
    out.push({
      figure: `Throughput, 1 writer → ${st.peers - st.writers} readers: max sustained updates/s`,
      dir: "higher",
      values: values(S, (s) => s.stream?.maxSustained),
      fmt: (v) => (v === 0 ? `< ${int(st.rates[0] ?? 0)}` : int(v)),
      target: { text: "≥ Hocuspocus", met: (q, v) => v.hocuspocus === undefined || v.hocuspocus === null || q >= v.hocuspocus },
    });
  }
  const rc = r.profile.rooms;
  out.push({
    figure: `${rc.rooms} rooms × ${rc.clientsPerRoom}: RSS per room, active (MiB)`,
    dir: "lower",
    values: values(S, (s) => s.rooms?.bytesPerRoomActive),
    fmt: mib,
  });
  if (rc.idleMs > 0) {
    out.push({
      figure: `… RSS per room after ${rc.idleMs / 1000} s idle (MiB)`,
      dir: "lower",
      values: values(S, (s) => s.rooms?.bytesPerRoomIdle),
      fmt: mib,
      target: { text: "≤ 2 MB per idle room", met: (q) => q <= 2e6 },
    });
  }
  out.push({ figure: "… write→reader latency p99 ms", dir: "lower", values: values(S, (s) => s.rooms?.latency.p99), fmt: ms });
  out.push({
    figure: "Cold load, automerge-paper: connect → synced, text readable (ms)",
    dir: "lower",
    values: values(S, (s) => (s.cold === null ? null : s.cold?.coldLoadMs)),
    fmt: ms,
    target: { text: "≤ 30 ms", met: (q) => q <= 30 },
  });
  out.push({
    figure: "… bytes received by the client until synced (wire)",
    dir: "lower",
    values: values(S, (s) => (s.cold === null ? null : s.cold?.coldBytes)),
    fmt: kb,
  });
  out.push({
    figure: "Storage after replaying automerge-paper: document bytes stored",
    dir: "lower",
    values: values(S, (s) => (s.cold === null ? null : s.cold?.storage?.dataBytes)),
    fmt: kb,
  });
  out.push({
    figure: "… after compaction",
    dir: "lower",
    values: values(S, (s) => (s.cold === null ? null : s.cold?.storage?.compactedDataBytes)),
    fmt: kb,
    target: { text: "≤ 70 KB", met: (q) => q <= 70_000 },
  });
  out.push({
    figure: "Crash (kill -9): acknowledged updates lost",
    dir: "lower",
    values: values(S, (s) => (s.crash === null ? null : s.crash === undefined ? undefined : s.crash.lostAcked)),
    fmt: int,
    target: { text: "0", met: (q) => q === 0 },
  });
  out.push({
    figure: "Crash (kill -9): updates seen by another client, lost",
    dir: "lower",
    values: values(S, (s) => (s.crash === null ? null : s.crash?.lostSeen)),
    fmt: int,
    target: { text: "0", met: (q) => q === 0 },
  });
  out.push({
    figure: `Reconnect storm: ${r.profile.storm.clients} clients all synced (ms)`,
    dir: "lower",
    values: values(S, (s) => s.storm?.allSyncedMs),
    fmt: ms,
  });
  out.push({ figure: "Server RSS after start (MiB)", dir: "lower", values: values(S, (s) => s.startRss), fmt: mib });
  if (r.bundle) {
    out.push({ figure: "Editor page JS+CSS+HTML, gzip", dir: "lower", values: { quire: r.bundle.editorPageGzipBytes }, fmt: kb });
  }
  return out;
}

function summaryTable(r: Results): string {
  const ids = r.servers.map((s) => s.id);
  const floors = ids.includes("quire") ? FLOORS.filter((f) => ids.includes(f.id)) : [];
  const head = `| figure | ${ids.map((id) => NAMES[id]).join(" | ")} | Quire vs best peer |${floors.map((f) => ` ${f.column} |`).join("")} Quire target | met |`;
  const sep = `|---|${ids.map(() => "---:").join("|")}|---|${floors.map(() => "---:|").join("")}---|:-:|`;
  const lines = rows(r).map((row) => {
    const q = row.values.quire;
    const met = row.target && typeof q === "number" && Number.isFinite(q) ? (row.target.met(q, row.values) ? "yes" : "**no**") : "";
    const cells = ids.map((id) => fmtCell(row.values[id], row.fmt));
    return `| ${row.figure} | ${cells.join(" | ")} | ${verdict(row)} |${floors.map((f) => ` ${vsFloor(row, f.id)} |`).join("")} ${row.target?.text ?? ""} | ${met} |`;
  });
  return [head, sep, ...lines].join("\n");
}

function details(r: Results): string {
  const out: string[] = [];
  for (const s of r.servers) {
    const parts: string[] = [];
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
    for (const e of s.errors) parts.push(`- **failed**: ${e}`);
    if (parts.length > 0) out.push(`**${s.label}**\n\n${parts.join("\n")}`);
  }
  if (r.bundle)
    out.push(
      `**Editor page bundle**: ${r.bundle.files.map((f) => `${f.file} ${kb(f.gzipBytes)}`).join(", ")} (gzip -9); raw ${kb(r.bundle.editorPageRawBytes)}; other lazy JS ${kb(r.bundle.otherJsGzipBytes)}`,
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

export function renderMarkdown(r: Results): string {
  const v = r.system.versions;
  const floor = r.servers.some((s) => s.id === FLOOR);
  const durableFloor = r.servers.some((s) => s.id === "bare-durable");
  const floorNote =
    (floor
      ? ` The platform floor is a plain y-partyserver \`YServer\` Durable Object (hibernation on; no persistence, auth or custom messages) served the same way as Quire; "Quire vs platform floor" is Quire − floor (Quire ÷ floor): what Quire's own code adds to what the serving path and workerd cost anyway.`
      : "") +
    (durableFloor
      ? ` The durable floor is that same \`YServer\` appending each update to SQLite before its broadcast (no batching, snapshots or loading): "Quire vs durable floor" is what Quire adds beyond the cost of its durability rule.`
      : "");
  return `## Benchmark: Quire vs Hocuspocus vs y-websocket-server${floor ? ", and the platform floor" : ""}

Measured ${r.system.date.slice(0, 16).replace("T", " ")} UTC (profile **${r.profile.name}**, ${r.durationSec} s, commit ${r.system.gitCommit}) on ${r.system.cpu}, ${r.system.cores} cores, ${r.system.memGiB} GiB RAM, ${r.system.os}; load average at start ${r.system.loadAvgAtStart.join(" / ")}.
Versions: Node ${v["node"]}, wrangler ${v["wrangler"]}, ${v["workerd"]}, y-partyserver ${v["y-partyserver"]}, yjs ${v["yjs"]} (all servers), Hocuspocus ${v["@hocuspocus/server"]} + extension-sqlite ${v["@hocuspocus/extension-sqlite"]} (better-sqlite3 ${v["better-sqlite3"]}), @y/websocket-server ${v["@y/websocket-server"]}.
All servers on loopback, driven by one Node process with the same raw y-websocket client, which offers \`permessage-deflate\` as browsers do (each server accepts or declines it; see "negotiated" below), except in the "Quire, no deflate" column, where it does not; figures are medians over runs. Quire runs as \`npm start\` serves it (scripts/serve.mjs: one workerd through Miniflare, one Durable Object per document, SQLite, every update durable before broadcast); Hocuspocus with its SQLite extension at default debounce; y-websocket-server in memory (the Node floor).${floorNote} "n/a": not applicable (no persistence, or no durability ack).
${contentionNote(r)}
${summaryTable(r)}

${details(r)}

Traces: automerge-paper and friendsforever_flat from Joseph Gentle's editing-traces (https://github.com/josephg/editing-traces), CC BY 4.0. Method: bench/README.md.
`;
}

const START = "<!-- bench:latest:start -->";
const END = "<!-- bench:latest:end -->";

/** Replaces the marked section of docs/BENCHMARKS.md (README.md is the lead's: it links there). */
export function updateReadmes(root: string, md: string): void {
  for (const file of [join(root, "docs/BENCHMARKS.md")]) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a < 0 || b < a) continue;
    writeFileSync(file, `${text.slice(0, a + START.length)}\n${md}${text.slice(b)}`);
  }
}
