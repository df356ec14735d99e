/**
 * The shape of a bench/doc-memory.ts result file and its summary,
 * bench/results/doc-memory.md: each shape's memory, the fitted cost per MB of state, and
 * the largest state that fits a 128 MiB isolate (what MAX_DOCUMENT_BYTES is derived
 * from, shared/limits.ts). Re-render a file: npx tsx bench/doc-memory-report.ts <file>.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SystemInfo } from "./lib/sysinfo";

export interface ShapeMemory {
  shape: string;
  /** The fill was refused part way (the document's limits): measured as accepted. */
  refused?: string | null;
  /** The document's text as exported to Markdown, bytes. */
  textBytes: number;
  /** Its encoded state as stored (GET …/health), bytes. */
  stateBytes: number;
  items: number;
  deletedItems: number;
  sockets: number;
  /** Until every socket had synced, from the first request. */
  openMs: number;
  exportMs: number;
  docxBytes: number;
  /** workerd's VmRSS, bytes: idle after a restart, highest sample while the sockets
   * opened and the export ran, steady after. The Node supervisor's apart. */
  rss: { idle: number; peak: number; steady: number; supervisorIdle: number; supervisorPeak: number };
  /** The Quire Worker isolate's V8 heap (total = reserved, used = live or not yet collected), bytes. */
  heap: { idleUsed: number; idleTotal: number; peakTotal: number; steadyUsed: number; steadyTotal: number };
}

export interface DocMemoryResult {
  schema: 1;
  system: SystemInfo;
  loadAvgAtEnd: number[];
  sockets: number;
  sampleMs: number;
  results: ShapeMemory[];
}

/** The isolate's memory on Cloudflare, and what of it a document may take. */
export const ISOLATE_MIB = 128;
/** Kept free of the fitted peak: other rooms' work in the same isolate, a restore or
 * compaction running beside the export, and machines unlike this one. */
export const MARGIN = 0.25;

const MiB = 1024 * 1024;
const MB = 1_000_000;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Least squares y = a + b·x. */
function fit(xs: number[], ys: number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}

export interface Derivation {
  /** Least squares over the text shapes of peak (and steady) RSS above idle, MiB per MB of state. */
  peakSlope: number;
  peakIntercept: number;
  steadySlope: number;
  /** The isolate's floor: the Quire isolate's heap at its peak with an empty document
   * open by the same sockets and export, MiB. */
  floorMiB: number;
  /** MiB a document's content may add at its peak: (ISOLATE_MIB − floor) × (1 − MARGIN). */
  budgetMiB: number;
  /** Each shape's content cost: its peak RSS above idle less the empty room's, MiB. */
  content: { shape: string; stateBytes: number; items: number; mib: number }[];
  /** The largest state (bytes) whose content cost stays within the budget, interpolated
   * between the measured text shapes (null: none measured past the budget). */
  maxStateBytes: number | null;
  /** The typing shape's content cost per item (its bytes included), and the items that fit. */
  typing?: { items: number; stateBytes: number; bytesPerItem: number; maxItems: number };
}

/** The highest reading: a room still growing after its sockets synced (the typing
 * shape's steady reading passed its sampled peak) counts at its steady size. */
const highest = (s: ShapeMemory) => Math.max(s.rss.peak, s.rss.steady);

export function derive(r: DocMemoryResult): Derivation {
  const text = r.results.filter((s) => s.shape === "empty" || s.shape.startsWith("text-"));
  const xs = text.map((s) => s.stateBytes / MB);
  const peak = fit(
    xs,
    text.map((s) => (s.rss.peak - s.rss.idle) / MiB),
  );
  const steady = fit(
    xs,
    text.map((s) => (s.rss.steady - s.rss.idle) / MiB),
  );
  const empty = r.results.find((s) => s.shape === "empty");
  const roomMiB = empty ? (empty.rss.peak - empty.rss.idle) / MiB : 0;
  const floorMiB = (empty ? empty.heap.peakTotal : Math.max(...r.results.map((s) => s.heap.idleTotal))) / MiB;
  const budgetMiB = (ISOLATE_MIB - floorMiB) * (1 - MARGIN);
  const content = r.results
    .filter((s) => s.shape !== "empty")
    .map((s) => ({ shape: s.shape, stateBytes: s.stateBytes, items: s.items, mib: r1((highest(s) - s.rss.idle) / MiB - roomMiB) }));
  const points = [{ stateBytes: 0, mib: 0 }, ...content.filter((c) => c.shape.startsWith("text-"))].sort(
    (p, q) => p.stateBytes - q.stateBytes,
  );
  let maxStateBytes: number | null = null;
  for (let i = 1; i < points.length; i++) {
    const [p, q] = [points[i - 1]!, points[i]!];
    if (q.mib > budgetMiB) {
      maxStateBytes = Math.floor(p.stateBytes + ((budgetMiB - p.mib) / (q.mib - p.mib)) * (q.stateBytes - p.stateBytes));
      break;
    }
  }
  const t = content.find((c) => c.shape === "typing");
  const typing = t && {
    items: t.items,
    stateBytes: t.stateBytes,
    bytesPerItem: Math.round((t.mib * MiB) / t.items),
    maxItems: Math.floor((budgetMiB * MiB) / ((t.mib * MiB) / t.items)),
  };
  return {
    peakSlope: r2(peak.b),
    peakIntercept: r1(peak.a),
    steadySlope: r2(steady.b),
    floorMiB: r1(floorMiB),
    budgetMiB: r1(budgetMiB),
    content,
    maxStateBytes,
    ...(typing ? { typing } : {}),
  };
}

export function renderDocMemory(r: DocMemoryResult, file: string): string {
  const d = derive(r);
  const s = r.system;
  const mib = (b: number) => r1(b / MiB);
  return [
    "# Document memory: what an open document costs the server",
    "",
    `From \`${file}\` (commit ${s.gitCommit}${s.gitDirty ? ", uncommitted changes" : ""}, ${s.date}), \`npx tsx bench/doc-memory.ts\`:`,
    `${s.cpu}, ${s.cores} cores, ${s.memGiB} GiB, load average ${s.loadAvgAtStart.join(" ")} at start and ${r.loadAvgAtEnd.join(" ")} at the end (a shared machine; memory figures do not depend on it); workerd ${s.versions.workerd}.`,
    "",
    `Each document was filled, the server restarted (a cold room), then opened by ${r.sockets} sockets while its DOCX export ran.`,
    `RSS is workerd's VmRSS (/proc/<pid>/status; the Node supervisor of \`npm start\`, ~${mib(r.results[0]?.rss.supervisorIdle ?? 0)} MiB, holds no document and is left out), sampled every ${r.sampleMs} ms;`,
    "heap is the Quire Worker isolate's V8 heap (inspector Runtime.getHeapUsage; no forced GC, which workerd's inspector does not answer).",
    "",
    "| shape | text, MB | state, MB | items (deleted) | idle RSS, MiB | peak RSS, MiB | steady RSS, MiB | peak − idle, MiB | heap idle → steady, MiB | open, ms | DOCX, ms |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.results.map(
      (x) =>
        `| ${x.shape}${x.refused ? " (refused past the limit)" : ""} | ${r2(x.textBytes / MB)} | ${r2(x.stateBytes / MB)} | ${x.items} (${x.deletedItems}) | ${mib(x.rss.idle)} | ${mib(x.rss.peak)} | ${mib(x.rss.steady)} | ${mib(x.rss.peak - x.rss.idle)} | ${mib(x.heap.idleTotal)} → ${mib(x.heap.steadyTotal)} | ${x.openMs} | ${x.exportMs} |`,
    ),
    "",
    `Fitted over the text shapes (for scale; it bends: the first MB costs most): peak RSS above idle ≈ ${d.peakIntercept} + ${d.peakSlope} MiB per MB of state; steady ${d.steadySlope} MiB per MB.`,
    "",
    "## The limits this gives",
    "",
    `An isolate has ${ISOLATE_MIB} MiB. Its floor is the Quire isolate's heap at its peak with an empty document open by the same sockets and export: ${d.floorMiB} MiB.`,
    `Keeping ${MARGIN * 100}% free (other rooms in the isolate, a compaction or restore beside the export, machines unlike this one) leaves ${d.budgetMiB} MiB for a document's content at its peak.`,
    "A shape's content cost is its highest RSS (peak or steady) above idle less the empty room's (the rest is workerd's own per-room and per-socket memory, most of it outside the isolate):",
    "",
    "| shape | state, MB | items | content cost at peak, MiB |",
    "|---|---:|---:|---:|",
    ...d.content.map((c) => `| ${c.shape} | ${r2(c.stateBytes / MB)} | ${c.items} | ${c.mib} |`),
    "",
    d.maxStateBytes === null
      ? "No text shape measured reached the budget."
      : `Bytes: the text shapes reach the budget at ${r2(d.maxStateBytes / MB)} MB of state (${r2(d.maxStateBytes / MiB)} MiB, interpolated between the measured sizes); MAX_DOCUMENT_BYTES is that rounded down.`,
    ...(d.typing
      ? [
          `Items: the typing shape's content cost is ${d.typing.bytesPerItem} bytes per item (its state bytes included), so ${d.typing.maxItems} items fill the budget; MAX_DOCUMENT_ITEMS is that rounded down.`,
        ]
      : []),
    "",
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: npx tsx bench/doc-memory-report.ts bench/results/doc-memory/<file>.json");
  const root = fileURLToPath(new URL("..", import.meta.url));
  const r = JSON.parse(readFileSync(join(root, file), "utf8")) as DocMemoryResult;
  writeFileSync(join(root, "bench/results/doc-memory.md"), renderDocMemory(r, file));
}
