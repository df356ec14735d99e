/**
 * Processes the bench starts: each server runs detached in its own process group,
 * so one `kill -PGID` reaches wrangler, workerd and anything else it spawned. Every
 * group is registered and killed when the bench exits, fails or is interrupted.
 */
import { spawn } from "node:child_process";
import { openSync, closeSync, readdirSync, readFileSync } from "node:fs";
import { sleep } from "./log";

const live = new Set<number>();

export interface Group {
  pgid: number;
  /** Resolves when the group leader exits. */
  exited: Promise<number | null>;
}

export function spawnGroup(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Group {
  const fd = openSync(opts.logFile, "a");
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  const pgid = child.pid;
  live.add(pgid);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { pgid, exited };
}

function statOf(pid: number): { ppid: number; pgrp: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return null;
  }
}

/** Every live process in the group, plus descendants that left it. */
export function groupPids(pgid: number): number[] {
  const all = new Map<number, { ppid: number; pgrp: number }>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = statOf(pid);
    if (s) all.set(pid, s);
  }
  const members = new Set<number>();
  for (const [pid, s] of all) if (s.pgrp === pgid) members.add(pid);
  // Bounded: at most one pass per process.
  for (let changed = true, passes = 0; changed && passes < all.size; passes++) {
    changed = false;
    for (const [pid, s] of all) {
      if (!members.has(pid) && members.has(s.ppid)) {
        members.add(pid);
        changed = true;
      }
    }
  }
  return [...members];
}

/** Resident set size of the whole process tree, in bytes (sum of VmRSS). */
export function groupRss(pgid: number): number {
  return Object.values(groupRssByCommand(pgid)).reduce((a, b) => a + b, 0);
}

/** The same, per command name (node shows as "MainThread"): tells which process of
 * a server's tree holds the memory, e.g. workerd versus wrangler's Node. */
export function groupRssByCommand(pgid: number): Record<string, number> {
  return rssByCommand(groupPids(pgid));
}

/** VmRSS of each of `pids`, summed by command name (node is "MainThread"). */
export function rssByCommand(pids: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      const name = /Name:\s+(.*)/.exec(status)?.[1] ?? "?";
      if (rss) out[name] = (out[name] ?? 0) + Number(rss[1]) * 1024;
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

const TICKS_PER_SEC = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by each live process of the tree, keyed
 * by "pid:command". Differences between two readings give per-process CPU. */
export function groupCpu(pgid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of groupPids(pgid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the comm.
      out.set(`${pid}:${comm}`, (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SEC);
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** CPU seconds per command name used between two groupCpu readings. */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, secs] of after) {
    const name = key.slice(key.indexOf(":") + 1);
    out[name] = (out[name] ?? 0) + secs - (before.get(key) ?? 0);
  }
  return out;
}

function signalAll(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* group already gone */
  }
  for (const pid of groupPids(pgid)) {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

/** kill -9 of the whole group, then waits until no member is left. */
export async function killGroup(pgid: number): Promise<void> {
  signalAll(pgid, "SIGKILL");
  for (let i = 0; i < 100 && groupPids(pgid).length > 0; i++) await sleep(20);
  live.delete(pgid);
}

/** SIGTERM, then SIGKILL whatever is still there after `graceMs`. */
export async function stopGroup(pgid: number, graceMs = 5000): Promise<void> {
  signalAll(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupPids(pgid).length > 0) await sleep(50);
  await killGroup(pgid);
}

const exitHooks: (() => void)[] = [];
/** Synchronous clean-up (temp directories) to run after the servers are killed. */
export function atExit(fn: () => void): void {
  exitHooks.push(fn);
}

export function killAllNow(): void {
  for (const pgid of live) signalAll(pgid, "SIGKILL");
  live.clear();
  for (const fn of exitHooks.splice(0)) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
}

let installed = false;
/** Kill everything the bench started on exit, Ctrl-C, SIGTERM and uncaught errors. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllNow);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      console.error(`\n[bench] ${sig}: stopping every server it started`);
      killAllNow();
      process.exit(130);
    });
  }
  process.on("uncaughtException", (err) => {
    console.error("[bench] failed:", err);
    killAllNow();
    process.exit(1);
  });
}

/** The tests' helper: a port that was free a moment ago on 127.0.0.1. */
export { freePort } from "../../e2e/support/server";

/** Polls `url` until it answers 2xx (bounded by `timeoutMs`). */
export async function waitForHttp(url: string, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  let dead = false;
  void exited?.then(() => (dead = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`server exited before answering ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(50);
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}
