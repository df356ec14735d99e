/**
 * `npm run bench [-- --quick]`: Quire side by side with Hocuspocus and
 * @y/websocket-server, on loopback, under the same workloads and the same raw
 * y-websocket client (e2e/support/yclient.ts). Builds once, starts every server
 * itself (a fresh instance per workload), stops everything it started, and writes
 * bench/results/latest.{json,md} (quick runs: quick.{json,md}).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, type Workload } from "./lib/config";
import { progress } from "./lib/log";
import { atExit, installCleanup } from "./lib/proc";
import type { Results, ServerResults } from "./lib/results";
import { systemInfo, waitForQuiet } from "./lib/sysinfo";
import { loadTrace, replayTrace, type ReplayedTrace } from "./lib/trace";
import { renderMarkdown, updateReadmes } from "./report";
import { makeServers } from "./servers/index";
import type { ManagedServer } from "./servers/managed";
import { bundle } from "./workloads/bundle";
import { cold } from "./workloads/cold";
import { crash } from "./workloads/crash";
import { fanout } from "./workloads/fanout";
import { rooms } from "./workloads/rooms";
import { storm } from "./workloads/storm";
import { throughput } from "./workloads/throughput";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

async function main(): Promise<number> {
  installCleanup();
  const opts = parseArgs(process.argv.slice(2));
  const p = opts.profile;
  const t0 = performance.now();
  const system = systemInfo(root);
  progress(`profile ${p.name}; servers ${opts.servers.join(", ")}; workloads ${opts.workloads.join(", ")}`);
  progress(`${system.cpu}, ${system.cores} cores, ${system.memGiB} GiB; node ${system.versions.node}, load ${system.loadAvgAtStart.join(" ")}`);

  progress("building Quire once (vite build)");
  execFileSync(join(root, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });

  const needs = (w: Workload) => opts.workloads.includes(w);
  let paper: ReplayedTrace | null = null;
  let story: ReplayedTrace | null = null;
  if (needs("cold")) {
    paper = replayTrace(loadTrace(root, "automerge-paper"), p.cold.updatesPerTxnGroup);
    progress(`automerge-paper replayed locally: ${paper.updates.length} updates, ${paper.text.length} chars`);
  }
  if (needs("storm")) story = replayTrace(loadTrace(root, "friendsforever_flat"), 1000);

  const tmpRoot = mkdtempSync(join(tmpdir(), "quire-bench-"));
  atExit(() => rmSync(tmpRoot, { recursive: true, force: true }));
  const servers: ManagedServer[] = makeServers(opts.servers, root, tmpRoot);
  const results: ServerResults[] = servers.map((s) => ({ id: s.id, label: s.label, errors: [] }));

  const plan: [Workload, (s: ManagedServer, r: ServerResults) => Promise<void>][] = [
    ["fanout", async (s, r) => void (r.fanout = await fanout(s, p.fanout))],
    ["throughput", async (s, r) => void (r.throughput = await throughput(s, p.throughput))],
    ["rooms", async (s, r) => void (r.rooms = await rooms(s, p.rooms))],
    ["storm", async (s, r) => void (r.storm = await storm(s, story!, p.storm))],
    ["cold", async (s, r) => void (r.cold = await cold(s, paper!, p.cold))],
    ["crash", async (s, r) => void (r.crash = await crash(s, p.crash))],
  ];
  try {
    // Workload by workload, every server in turn, each on a fresh instance: the
    // servers are compared within minutes of each other, from the same clean start.
    for (const [name, run] of plan) {
      if (!needs(name)) continue;
      for (const [i, s] of servers.entries()) {
        const r = results[i]!;
        const busy = await waitForQuiet(p.name === "full" ? 30_000 : 0);
        (r.machineBusy ??= {})[name] = Math.round(busy * 100) / 100;
        progress(`── ${name}: ${s.label} (machine ${Math.round(busy * 100)}% busy before start)`);
        try {
          await s.start();
          r.startRss ??= s.rss();
          await run(s, r);
        } catch (err) {
          const msg = `${name}: ${(err as Error).message}`;
          r.errors.push(msg);
          progress(`!! ${s.id} ${msg}`);
        } finally {
          await s.stop();
        }
      }
    }
  } finally {
    for (const s of servers) await s.stop();
    for (const s of servers) s.cleanup();
    rmSync(tmpRoot, { recursive: true, force: true });
  }

  const out: Results = {
    profile: p,
    system,
    durationSec: Math.round((performance.now() - t0) / 1000),
    servers: results,
    ...(needs("bundle") ? { bundle: bundle(root) } : {}),
  };
  const dir = resolve(root, opts.out);
  mkdirSync(dir, { recursive: true });
  const base = p.name === "full" ? "latest" : "quick";
  const md = renderMarkdown(out);
  writeAtomic(join(dir, `${base}.json`), `${JSON.stringify(out, null, 2)}\n`);
  writeAtomic(join(dir, `${base}.md`), md);
  if (p.name === "full" && opts.workloads.length === 7 && opts.servers.length === 3) updateReadmes(root, md);
  progress(`wrote ${join(opts.out, `${base}.json`)} and ${base}.md in ${out.durationSec} s`);
  console.log(`\n${md}`);
  const errors = results.flatMap((r) => r.errors.map((e) => `${r.id} ${e}`));
  if (errors.length > 0) console.error(`\n[bench] ${errors.length} workload(s) failed:\n  ${errors.join("\n  ")}`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error("[bench] failed:", err);
    process.exit(1);
  },
);
