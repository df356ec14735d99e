/** The cost table, rendered from a bench/cost.ts result file (by cost.ts itself and by report.ts). */
import type { SystemInfo } from "./sysinfo";

export interface CostResult {
  date: string;
  system?: SystemInfo;
  argv?: string[];
  compressed: { activeS: number; idleS: number; activeMsgs: number; idleMsgs: number; sleptWhileIdle: boolean };
  session: {
    wsMessages: number;
    pings: number;
    httpRequests: number;
    doSeconds: number;
    rowsRead: number;
    rowsWritten: number;
    r2ClassA: number;
    r2ClassB: number;
    storedBytes: number;
  };
  editorHours: number;
  costPerSession: Record<"doRequests" | "workerRequests" | "doDuration" | "rowsRead" | "rowsWritten" | "r2Ops" | "storageMonth", number>;
  totalPerSession: number;
  per1000EditorHours: { quire: number; platformFloor: number; durableFloor: number };
  prices?: { sqlRowsWrittenPerM: number };
}

const usd = (v: number) => `$${v < 0.01 ? v.toFixed(5) : v.toFixed(3)}`;
const usd2 = (v: number) => `$${v.toFixed(2)}`;
const int = (v: number) => Math.round(v).toLocaleString("en-US");

/** Where and when: date, commit (and whether the tree was dirty), machine. */
export function costProvenance(c: CostResult, source: string): string {
  const s = c.system;
  const commit = s ? `commit ${s.gitCommit}${s.gitDirty ? " with uncommitted changes" : ""}` : "commit not recorded in the file";
  const machine = s ? `, ${s.cpu}, ${s.cores} cores, load average at start ${s.loadAvgAtStart.join(" / ")}` : "";
  return `${c.date.slice(0, 16).replace("T", " ")} UTC, ${commit}${machine}; ${c.compressed.activeS} s typing + ${c.compressed.idleS} s idle, scaled to the session (\`${source}\`)`;
}

const pct = (part: number, whole: number) => Math.round((part / whole) * 100);

/** Incoming updates per session: the durable floor writes one row for each. */
function updates(c: CostResult): number {
  const k = 1000 / c.editorHours;
  const price = c.prices?.sqlRowsWrittenPerM ?? 1;
  return (((c.per1000EditorHours.durableFloor - c.per1000EditorHours.platformFloor) / k) * 1e6) / price;
}

/** The full table (docs/BENCHMARKS.md). */
export function renderCost(c: CostResult): string {
  const k = 1000 / c.editorHours;
  const s = c.session;
  const $ = c.costPerSession;
  const floorPlatform = c.per1000EditorHours.platformFloor / k;
  const floorDurable = c.per1000EditorHours.durableFloor / k;
  return [
    "| billed item | per session (3 editors, 10 min typing + 10 min idle) | $ per session | $ per 1,000 editor-hours |",
    "|---|---:|---:|---:|",
    `| DO requests: incoming WS messages ÷ 20 + HTTP requests | ${int(s.wsMessages)} msgs, ${s.httpRequests} req | ${usd($.doRequests)} | ${usd($.doRequests * k)} |`,
    `| Worker requests | ${s.httpRequests} | ${usd($.workerRequests)} | ${usd($.workerRequests * k)} |`,
    `| DO duration (128 MB while awake) | ${int(s.doSeconds)} s | ${usd($.doDuration)} | ${usd($.doDuration * k)} |`,
    `| SQLite rows written | ${int(s.rowsWritten)} | ${usd($.rowsWritten)} | ${usd($.rowsWritten * k)} |`,
    `| SQLite rows read | ${int(s.rowsRead)} | ${usd($.rowsRead)} | ${usd($.rowsRead * k)} |`,
    `| R2 class A / B operations | ${s.r2ClassA} / ${s.r2ClassB} | ${usd($.r2Ops)} | ${usd($.r2Ops * k)} |`,
    `| stored bytes, one month (SQLite + R2) | ${int(s.storedBytes)} B | ${usd($.storageMonth)} | ${usd($.storageMonth * k)} |`,
    `| **total** | | **${usd(c.totalPerSession)}** | **${usd(c.totalPerSession * k)}** |`,
    `| platform floor (same traffic, no rows) | | ${usd(floorPlatform)} | ${usd(c.per1000EditorHours.platformFloor)} |`,
    `| durable floor (+ 1 row per update) | | ${usd(floorDurable)} | ${usd(c.per1000EditorHours.durableFloor)} |`,
    "",
    `Rows written are ${pct(c.costPerSession.rowsWritten, c.totalPerSession)} % of the total and duration ${pct(c.costPerSession.doDuration, c.totalPerSession)} %; Quire writes ${(s.rowsWritten / updates(c)).toFixed(2)} rows per incoming update (the durable floor 1). ` +
      `Compressed run: ${c.compressed.activeS} s typing (${c.compressed.activeMsgs} messages), ${c.compressed.idleS} s idle (${c.compressed.idleMsgs} messages besides pings; the room ${c.compressed.sleptWhileIdle ? "hibernated" : "did **not** hibernate"} while idle). Pings (${s.pings} per session) are answered by the runtime without waking the object and are not counted as requests.`,
  ].join("\n");
}

/** Three lines for README. */
export function renderCostBrief(c: CostResult): string {
  const k = 1000 / c.editorHours;
  const rows = c.costPerSession.rowsWritten * k;
  const durableRows = c.per1000EditorHours.durableFloor - c.per1000EditorHours.platformFloor;
  return [
    "| per 1,000 active editor-hours | Quire | durable floor (1 row per update) | platform floor (no rows) |",
    "|---|---:|---:|---:|",
    `| total | ${usd2(c.totalPerSession * k)} | ${usd2(c.per1000EditorHours.durableFloor)} | ${usd2(c.per1000EditorHours.platformFloor)} |`,
    `| of which SQLite rows written | ${usd2(rows)} | ${usd2(durableRows)} | – |`,
    "",
    `Rows written are ${Math.round((rows / (c.totalPerSession * k)) * 100)} % of the bill: the price of committing every update before anyone sees it.`,
  ].join("\n");
}
