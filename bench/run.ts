/**
 * `npm run bench [-- --quick]`: Quire side by side with Hocuspocus,
 * @y/websocket-server and a bare y-partyserver Durable Object on the same wrangler
 * dev path (the platform floor), on loopback, under the same workloads and the same raw
 * y-websocket client (e2e/support/yclient.ts). Builds once, starts every server
 * itself (a fresh instance per workload), stops everything it started, and writes
 * bench/results/latest.{json,md} (quick runs: quick.{json,md}); a run of every workload
 * then runs bench/ttfc.ts (time to first content in Chromium) and bench/cost.ts (cost
 * on Cloudflare).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ALL_SERVERS, parseArgs, WORKLOADS, type Workload } from "./lib/config";
import { closeAll, openClient } from "./lib/clients";
import { progress } from "./lib/log";
import { atExit, installCleanup } from "./lib/proc";
import type { Results, ServerResults } from "./lib/results";
import type { Session } from "./lib/session";
import { systemInfo, waitForQuiet } from "./lib/sysinfo";
import { loadTrace, replayTrace, type ReplayedTrace } from "./lib/trace";
import { renderMarkdown, updateReadmes } from "./report";
import { makeServers } from "./servers/index";
import type { ManagedServer } from "./servers/managed";
import { bundle } from "./workloads/bundle";
import { coldSession } from "./workloads/cold";
import { crash } from "./workloads/crash";
import { fanoutSession } from "./workloads/fanout";
import { rooms } from "./workloads/rooms";
import { stormSession } from "./workloads/storm";
import { throughputSession } from "./workloads/throughput";

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
  progress(
    `${system.cpu}, ${system.cores} cores, ${system.memGiB} GiB; node ${system.versions.node}, load ${system.loadAvgAtStart.join(" ")}`,
  );

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

  // Wait for an idle machine before each run: ≤ 30 s each, ≤ 5 min in all (full runs only).
  let quietBudgetMs = p.name === "full" ? 300_000 : 0;
  const quiet = async () => {
    const t = Date.now();
    const busy = await waitForQuiet(Math.min(30_000, quietBudgetMs));
    quietBudgetMs = Math.max(0, quietBudgetMs - (Date.now() - t));
    return busy;
  };
  /** RSS right after the first start of each server, whole tree and per process. */
  const recordStartRss = async (s: ManagedServer, r: ServerResults) => {
    if (r.startRss !== undefined) return;
    r.startRssByCommand = s.rssByCommand();
    r.startRss = Object.values(r.startRssByCommand).reduce((a, b) => a + b, 0);
    // What the WebSocket handshake agreed on, from one client the way the workloads open them.
    try {
      const probe = await openClient(await s.createRoom("probe"));
      r.negotiated = probe.negotiated || "none";
      closeAll([probe]);
    } catch (err) {
      r.negotiated = `probe failed: ${(err as Error).message}`;
    }
  };
  const fail = (r: ServerResults, name: string, err: unknown) => {
    const msg = `${name}: ${(err as Error).message}`;
    r.errors.push(msg);
    progress(`!! ${r.id} ${msg}`);
  };

  /** Every server started and opened, then run 1 on each, run 2 on each, ... */
  async function interleaved<R>(
    name: Workload,
    runs: number,
    open: (s: ManagedServer) => Promise<Session<R>>,
    save: (r: ServerResults, v: R) => void,
  ) {
    if (!needs(name)) return;
    const live: [ManagedServer, ServerResults, Session<R>][] = [];
    try {
      for (const [i, s] of servers.entries()) {
        const r = results[i]!;
        progress(`── ${name}: ${s.label}`);
        try {
          await s.start();
          await recordStartRss(s, r);
          live.push([s, r, await open(s)]);
        } catch (err) {
          fail(r, name, err);
        }
      }
      for (let run = 1; run <= runs; run++) {
        for (const [, r, session] of live) {
          if (r.errors.some((e) => e.startsWith(`${name}:`))) continue;
          const busy = await quiet();
          r.machineBusy ??= {};
          r.machineBusy[`${name} ${run}`] = Math.round(busy * 100) / 100;
          try {
            await session.once(run, runs);
          } catch (err) {
            fail(r, name, err);
          }
        }
      }
      for (const [, r, session] of live) if (!r.errors.some((e) => e.startsWith(`${name}:`))) save(r, session.result());
    } finally {
      for (const [, , session] of live) session.close?.();
      for (const s of servers) await s.stop();
    }
  }

  /** One server at a time, alone on the machine (memory and crash figures). */
  async function alone(name: Workload, run: (s: ManagedServer, r: ServerResults) => Promise<void>) {
    if (!needs(name)) return;
    for (const [i, s] of servers.entries()) {
      const r = results[i]!;
      // The client's compression does not change what survives a crash.
      if (name === "crash" && s.id === "quire-plain") continue;
      const busy = await quiet();
      r.machineBusy ??= {};
      r.machineBusy[name] = Math.round(busy * 100) / 100;
      progress(`── ${name}: ${s.label} (machine ${Math.round(busy * 100)}% busy before start)`);
      try {
        await s.start();
        await recordStartRss(s, r);
        await run(s, r);
      } catch (err) {
        fail(r, name, err);
      } finally {
        await s.stop();
      }
    }
  }

  try {
    await interleaved(
      "fanout",
      p.fanout.runs,
      async (s) => fanoutSession(s, p.fanout),
      (r, v) => {
        r.fanout = v;
      },
    );
    await interleaved(
      "throughput",
      p.throughput.runs,
      async (s) => throughputSession(s, p.throughput),
      (r, v) => {
        r.throughput = v;
      },
    );
    await interleaved(
      "stream",
      p.stream.runs,
      async (s) => throughputSession(s, p.stream),
      (r, v) => {
        r.stream = v;
      },
    );
    await interleaved(
      "storm",
      p.storm.runs,
      (s) => stormSession(s, story!, p.storm),
      (r, v) => {
        r.storm = v;
      },
    );
    await interleaved(
      "cold",
      p.cold.runs,
      (s) => coldSession(s, paper!, p.cold),
      (r, v) => {
        r.cold = v;
      },
    );
    await alone("rooms", async (s, r) => {
      r.rooms = await rooms(s, p.rooms);
    });
    await alone("crash", async (s, r) => {
      r.crash = await crash(s, p.crash);
    });
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
  // Only a full run of every workload on every server may stand for "the" results.
  const everything = WORKLOADS.every((w) => needs(w)) && ALL_SERVERS.every((id) => opts.servers.includes(id));
  if (p.name === "full" && everything) updateReadmes(root, md);
  progress(`wrote ${join(opts.out, `${base}.json`)} and ${base}.md in ${out.durationSec} s`);
  console.log(`\n${md}`);
  const errors = results.flatMap((r) => r.errors.map((e) => `${r.id} ${e}`));
  // Two figures have scripts of their own (a real browser; a scripted session with the
  // Durable Object's meter on): a run of every workload runs them too, so one
  // `npm run bench` reports everything (ttfc prints its figures; cost writes
  // bench/results/cost.{json,md}).
  if (WORKLOADS.every((w) => needs(w))) {
    const tsx = join(root, "node_modules/.bin/tsx");
    const extras: [string, string[]][] = [
      ["bench/ttfc.ts", [`--runs=${p.name === "full" ? 3 : 1}`]],
      ["bench/cost.ts", p.name === "full" ? ["--active=60", "--idle=40"] : ["--active=15", "--idle=25"]],
    ];
    for (const [script, args] of extras) {
      progress(`${script} ${args.join(" ")}`);
      try {
        execFileSync(tsx, [script, ...args], { cwd: root, stdio: "inherit" });
      } catch (err) {
        errors.push(`${script}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
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
