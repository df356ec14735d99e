/**
 * Where results live: bench/results/<mode>/<stamp>-<commit>.json, one file per run, and
 * bench/results/<mode>/latest, a one-line file naming the newest complete run of that
 * mode (`full`, `quick`, `cost`, `wear`). Server logs of failed workloads are kept beside them in
 * bench/results/<mode>/logs/. report.ts renders README's and docs/BENCHMARKS.md's tables
 * from these files only, and e2e/repo/bench-figures.test.ts checks they match.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

export const RESULTS_DIR = "bench/results";
export type Mode = "full" | "quick" | "cost" | "wear";

/** "2026-12-10T120512Z-abc1234" (with "-dirty" when the tree had uncommitted changes). */
export function runStamp(isoDate: string, commit: string, dirty?: boolean): string {
  const d = isoDate
    .slice(0, 19)
    .replace(/[-:]/g, "")
    .replace(/^(\d{4})(\d{2})(\d{2})/, "$1-$2-$3");
  return `${d}Z-${commit}${dirty ? "-dirty" : ""}`;
}

export function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Writes the run's file; moves `latest` when asked. Returns the path relative to root. */
export function writeResult(root: string, mode: Mode, stamp: string, data: unknown, moveLatest: boolean): string {
  const dir = join(root, RESULTS_DIR, mode);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${stamp}.json`);
  writeAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
  if (moveLatest) writeAtomic(join(dir, "latest"), `${stamp}.json\n`);
  return relative(root, file);
}

/** The newest complete run of a mode, as a path relative to root (null if none). */
export function latestResult(root: string, mode: Mode): string | null {
  const pointer = join(root, RESULTS_DIR, mode, "latest");
  if (!existsSync(pointer)) return null;
  const name = readFileSync(pointer, "utf8").trim();
  return name ? join(RESULTS_DIR, mode, name) : null;
}

export function readResult<T>(root: string, path: string): T {
  return JSON.parse(readFileSync(join(root, path), "utf8")) as T;
}

/** Copies a server log next to the results and returns its path and last lines. */
export function keepLog(root: string, mode: Mode, name: string, logFile: string): { log: string; logTail: string[] } | null {
  if (!existsSync(logFile)) return null;
  const dir = join(root, RESULTS_DIR, mode, "logs");
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(logFile, "utf8");
  const target = join(dir, `${name}.log`);
  writeFileSync(target, text);
  const logTail = text
    .trimEnd()
    .split("\n")
    .slice(-12)
    .map((l) => (l.length > 240 ? `${l.slice(0, 240)}…` : l));
  return { log: relative(root, target), logTail };
}
