/** Where and with what the numbers were measured: machine, OS, runtimes, package versions. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem, release, loadavg } from "node:os";
import { join } from "node:path";

export interface SystemInfo {
  date: string;
  cpu: string;
  cores: number;
  memGiB: number;
  os: string;
  loadAvgAtStart: number[];
  versions: Record<string, string>;
  gitCommit: string;
  /** The working tree had uncommitted changes (outside bench/results) when the run started. */
  gitDirty?: boolean;
}

/** The installed version, from the project's node_modules or the peers' (bench/node_modules). */
function pkgVersion(root: string, name: string): string {
  for (const dir of [join(root, "node_modules"), join(root, "bench/node_modules")]) {
    try {
      return (JSON.parse(readFileSync(join(dir, name, "package.json"), "utf8")) as { version: string }).version;
    } catch {
      /* not in this one */
    }
  }
  return "?";
}

function workerdVersion(root: string): string {
  try {
    const bin = join(root, "node_modules/@cloudflare/workerd-linux-64/bin/workerd");
    return execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return pkgVersion(root, "workerd");
  }
}

export function systemInfo(root: string): SystemInfo {
  let commit = "?";
  let dirty: boolean | undefined;
  try {
    commit = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const status = execFileSync("git", ["-C", root, "status", "--porcelain", "--", ".", ":(exclude)bench/results"], { encoding: "utf8" });
    dirty = status.trim().length > 0;
  } catch {
    /* not a git checkout */
  }
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model.trim() ?? "?",
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    loadAvgAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    versions: {
      node: process.versions.node,
      wrangler: pkgVersion(root, "wrangler"),
      workerd: workerdVersion(root),
      "y-partyserver": pkgVersion(root, "y-partyserver"),
      yjs: pkgVersion(root, "yjs"),
      "@hocuspocus/server": pkgVersion(root, "@hocuspocus/server"),
      "@hocuspocus/extension-sqlite": pkgVersion(root, "@hocuspocus/extension-sqlite"),
      "better-sqlite3": pkgVersion(root, "better-sqlite3"),
      "@y/websocket-server": pkgVersion(root, "@y/websocket-server"),
    },
    gitCommit: commit,
    ...(dirty === undefined ? {} : { gitDirty: dirty }),
  };
}

function cpuTimes(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Share of the whole machine's CPU in use over `ms` (0–1), whoever uses it. */
export async function machineBusy(ms = 500): Promise<number> {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
}

/**
 * Other work on the machine (tests in other checkouts, say) skews a run. Before each
 * workload, wait (bounded) for the machine to be mostly idle; return the busy share
 * that was measured last so the report can show how quiet it was.
 */
export async function waitForQuiet(maxWaitMs: number, threshold = 0.35): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let busy = await machineBusy();
  while (busy > threshold && Date.now() < deadline) busy = await machineBusy(1000);
  return busy;
}
