/**
 * `npm run bench [-- --quick]`: Quire side by side with Hocuspocus,
 * @y/websocket-server and a bare y-partyserver Durable Object on the same serving path
 * (the platform floor), on loopback, under the same workloads and the same raw
 * y-websocket client (e2e/support/yclient.ts). Builds once, starts every server
 * itself (a fresh instance per workload), stops everything it started, and writes one
 * result file, bench/results/<full|quick>/<stamp>.json (commit, dirty tree, date,
 * machine, options, every figure); a complete run (every workload, every default
 * server) moves that mode's `latest` pointer and also runs bench/ttfc.ts (time to first
 * content in Chromium) and bench/cost.ts (cost on Cloudflare). `npm run bench:report`
 * then renders README's and docs/BENCHMARKS.md's tables from the latest files.
 *
 * A server that does not start is tried once more; a workload that still fails is a
 * failed row (with the reason and the server's log, kept in bench/results/<mode>/logs/),
 * never the end of the run. Exit code: 0 every figure measured, 2 the result file was
 * written but some rows failed, 1 the bench itself failed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ALL_SERVERS, parseArgs, WORKLOADS, type Workload } from "./lib/config";
import { closeAll, openClient } from "./lib/clients";
import { progress } from "./lib/log";
import { atExit, installCleanup } from "./lib/proc";
import { keepLog, runStamp, writeResult, type Mode } from "./lib/result-files";
import type { Failure, Results, ServerResults } from "./lib/results";
import type { Session } from "./lib/session";
import { systemInfo, waitForQuiet } from "./lib/sysinfo";
import { loadTrace, replayTrace, type ReplayedTrace } from "./lib/trace";
import { renderMarkdown } from "./report";
import { makeServers } from "./servers/index";
import { StartError, type ManagedServer } from "./servers/managed";
import { bundle } from "./workloads/bundle";
import { coldSession } from "./workloads/cold";
import { crash } from "./workloads/crash";
import { fanoutSession } from "./workloads/fanout";
import { rooms } from "./workloads/rooms";
import { stormSession } from "./workloads/storm";
import { throughputSession } from "./workloads/throughput";
import { typistsSession } from "./workloads/typists";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function main(): Promise<number> {
  installCleanup();
  const opts = parseArgs(process.argv.slice(2));
  const p = opts.profile;
  const mode: Mode = p.name;
  const t0 = performance.now();
  const system = systemInfo(root);
  const stamp = runStamp(system.date, system.gitCommit, system.gitDirty);
  const needs = (w: Workload) => opts.workloads.includes(w);
  const complete = WORKLOADS.every((w) => needs(w)) && ALL_SERVERS.every((id) => opts.servers.includes(id));
  progress(`profile ${p.name}; servers ${opts.servers.join(", ")}; workloads ${opts.workloads.join(", ")}`);
  progress(
    `${system.cpu}, ${system.cores} cores, ${system.memGiB} GiB; node ${system.versions.node}, load ${system.loadAvgAtStart.join(" ")}; commit ${system.gitCommit}${system.gitDirty ? " (uncommitted changes)" : ""}`,
  );

  progress("building Quire once (vite build)");
  execFileSync(join(root, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });

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
  const results: ServerResults[] = servers.map((s) => ({ id: s.id, label: s.label, errors: [], failures: [], notes: s.notes }));
  for (const s of servers) s.keepLog = (file, what) => keepLog(root, mode, `${stamp}-${s.id}-${s.workload}-${what}`, file);

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
  /** A failed row: its reason and the server's log (kept beside the results, tail quoted). */
  const fail = (s: ManagedServer, r: ServerResults, name: string, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    const kept = err instanceof StartError ? err.logs.at(-1) : s.logFile ? s.keepLog(s.logFile, "failed") : null;
    const failure: Failure = { workload: name, message, ...(kept ?? {}) };
    r.failures!.push(failure);
    r.errors.push(`${name}: ${message}`);
    progress(`!! ${r.id} ${name}: ${message}${kept ? ` (log: ${kept.log})` : ""}`);
  };
  const failed = (r: ServerResults, name: string) => r.failures!.some((f) => f.workload === name);
  const begin = (s: ManagedServer, name: Workload) => {
    s.workload = name;
    // Quire's opt-in row counter (worker/lib/meter.ts) only where a figure needs it.
    s.env = name === "typists" ? s.meterEnv() : {};
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
          begin(s, name);
          await s.start();
          await recordStartRss(s, r);
          live.push([s, r, await open(s)]);
        } catch (err) {
          fail(s, r, name, err);
        }
      }
      for (let run = 1; run <= runs; run++) {
        for (const [s, r, session] of live) {
          if (failed(r, name)) continue;
          const busy = await quiet();
          r.machineBusy ??= {};
          r.machineBusy[`${name} ${run}`] = Math.round(busy * 100) / 100;
          try {
            await session.once(run, runs);
          } catch (err) {
            fail(s, r, name, err);
          }
        }
      }
      for (const [, r, session] of live) {
        if (failed(r, name)) continue;
        try {
          save(r, session.result());
        } catch (err) {
          r.failures!.push({ workload: name, message: `result: ${(err as Error).message}` });
        }
      }
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
        begin(s, name);
        await s.start();
        await recordStartRss(s, r);
        await run(s, r);
      } catch (err) {
        fail(s, r, name, err);
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
    if (p.typists) {
      const cfg = p.typists;
      await interleaved(
        "typists",
        cfg.runs,
        async (s) => typistsSession(s, cfg),
        (r, v) => {
          r.typists = v;
        },
      );
    }
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
    schema: 2,
    profile: p,
    system,
    options: { argv: opts.argv, servers: opts.servers, workloads: opts.workloads, complete },
    durationSec: Math.round((performance.now() - t0) / 1000),
    servers: results,
    ...(needs("bundle") ? { bundle: bundle(root) } : {}),
  };
  // Two figures have scripts of their own (a real browser; a scripted session with the
  // Durable Object's meter on): a complete run runs them too, so one `npm run bench`
  // measures everything the docs quote.
  if (complete) out.extras = runExtras(p.name === "full");
  out.durationSec = Math.round((performance.now() - t0) / 1000);
  const file = writeResult(root, mode, stamp, out, complete);
  console.log(`\n${renderMarkdown(out, file)}`);
  progress(
    `wrote ${file}${complete ? ` and moved bench/results/${mode}/latest to it` : ` (a subset: bench/results/${mode}/latest not moved)`} in ${out.durationSec} s`,
  );
  const failures = results.flatMap((r) =>
    (r.failures ?? []).map((f) => `${r.id} ${f.workload}: ${f.message}${f.log ? ` (log ${f.log})` : ""}`),
  );
  const extraErrors = Object.entries(out.extras ?? {}).flatMap(([k, v]) =>
    typeof v === "object" && v && "error" in v ? [`${k}: ${v.error}`] : [],
  );
  const all = [...failures, ...extraErrors];
  if (all.length > 0) {
    console.error(`\n[bench] ${all.length} row(s) failed; every other figure is in ${file}:\n  ${all.join("\n  ")}`);
    return 2;
  }
  if (complete) progress("next: npm run bench:report (renders README.md and docs/BENCHMARKS.md from the latest files)");
  return 0;
}

/** bench/ttfc.ts and bench/cost.ts, each in its own process; a failure is recorded, not fatal. */
function runExtras(full: boolean): NonNullable<Results["extras"]> {
  const tsx = join(root, "node_modules/.bin/tsx");
  const extras: NonNullable<Results["extras"]> = {};
  const ttfcFile = join(tmpdir(), `quire-ttfc-${process.pid}.json`);
  progress(`bench/ttfc.ts --runs=${full ? 3 : 1}`);
  try {
    execFileSync(tsx, ["bench/ttfc.ts", `--runs=${full ? 3 : 1}`, `--json=${ttfcFile}`], { cwd: root, stdio: "inherit" });
    extras.ttfc = JSON.parse(readFileSync(ttfcFile, "utf8")) as {
      runs: { ms: number; wsBytes: number; httpBytes: number }[];
      editableMs?: number[];
    };
  } catch (err) {
    extras.ttfc = { error: err instanceof Error ? err.message.split("\n")[0]! : String(err) };
  } finally {
    rmSync(ttfcFile, { force: true });
  }
  const costArgs = full ? ["--active=60", "--idle=40"] : ["--active=15", "--idle=25"];
  const costFile = join(tmpdir(), `quire-cost-${process.pid}.txt`);
  progress(`bench/cost.ts ${costArgs.join(" ")}`);
  try {
    execFileSync(tsx, ["bench/cost.ts", ...costArgs, `--record=${costFile}`], { cwd: root, stdio: "inherit" });
    extras.cost = readFileSync(costFile, "utf8").trim();
  } catch (err) {
    extras.cost = { error: err instanceof Error ? err.message.split("\n")[0]! : String(err) };
  } finally {
    rmSync(costFile, { force: true });
  }
  return extras;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error("[bench] failed:", err);
    process.exit(1);
  },
);
