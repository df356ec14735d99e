/**
 * Where the server's CPU goes, per process of its tree: `npx tsx bench/cpu-split.ts`.
 * For each server, a fan-out (1 writer → 30 readers, 300 writes, one at a time) and a
 * burst (50 peers typing 1,000 updates/s for 5 s); prints server CPU milliseconds per
 * write / per incoming update, split by process (for Quire: wrangler's Node, and each
 * workerd by its --socket-addr), plus the client's. Not part of `npm run bench`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { closeAll, openClient, openMany, ownClock, typeChar } from "./lib/clients";
import { DeliveryCounter, DeliveryProbe } from "./lib/delivery";
import { sleep } from "./lib/log";
import { groupPids, installCleanup } from "./lib/proc";
import { makeServers } from "./servers/index";
import type { ManagedServer } from "./servers/managed";
import type { ServerId } from "./servers/types";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** CPU seconds per process, labelled by command and (for workerd) its entry socket. */
function cpuByProcess(s: ManagedServer, pgid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of groupPids(pgid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      const entry = args.find((a) => a.startsWith("--socket-addr=entry="));
      const name = args[0]?.endsWith("workerd")
        ? `workerd ${entry === `--socket-addr=entry=127.0.0.1:${s.port}` ? "(public entry: wrangler's proxy)" : "(user worker + DO)"}`
        : args.some((a) => a.endsWith("wrangler-dist/cli.js"))
          ? "wrangler (node)"
          : (args.slice(1).find((a) => /\.(m?js|ts)$/.test(a)) ?? args[0] ?? "?").split("/").slice(-2).join("/");
      out.set(name, (out.get(name) ?? 0) + (Number(rest[11]) + Number(rest[12])) / 100);
    } catch {
      /* exited */
    }
  }
  return out;
}

function diff(a: Map<string, number>, b: Map<string, number>, per: number): string {
  return [...b]
    .map(([k, v]) => [k, ((v - (a.get(k) ?? 0)) * 1000) / per] as const)
    .filter(([, v]) => v >= 0.005)
    .map(([k, v]) => `${k} ${v.toFixed(3)} ms`)
    .join(", ");
}

const arg = (name: string, dflt: string) => (process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt).split(",");

async function main(): Promise<void> {
  installCleanup();
  const tmp = mkdtempSync(join(tmpdir(), "quire-cpu-"));
  const ids = arg("servers", "quire,hocuspocus,y-websocket") as ServerId[];
  for (const s of makeServers(ids, root, tmp)) {
    await s.start();
    const pgid = s.pgid();
    for (const n of arg("readers", "30").map(Number)) await fanoutCpu(s, pgid, n);
    await burstCpu(s, pgid);
    await s.stop();
  }
  rmSync(tmp, { recursive: true, force: true });
}

async function fanoutCpu(s: ManagedServer, pgid: number, n: number): Promise<void> {
  {
    const room = await s.createRoom(`cpu-${Date.now()}`);
    const writer = await openClient(room);
    const readers = await openMany(room, n);
    let frames = 0;
    for (const r of [writer, ...readers]) r.ws.on("message", () => frames++);
    const probe = new DeliveryProbe(readers);
    writer.paragraph();
    await probe.expect(writer.doc.clientID, ownClock(writer), 2000);
    const c0 = cpuByProcess(s, pgid);
    const u0 = process.cpuUsage();
    const f0 = frames;
    const writes = 300;
    for (let i = 0; i < writes; i++) {
      const w = probe.expect(writer.doc.clientID, ownClock(writer) + 1, 2000);
      typeChar(writer);
      await w;
    }
    const u = process.cpuUsage(u0);
    console.log(
      `${s.id} fan-out 1→${n}, server CPU per write: ${diff(c0, cpuByProcess(s, pgid), writes)}; client ${((u.user + u.system) / 1000 / writes).toFixed(3)} ms; ${((frames - f0) / writes).toFixed(1)} frames received per write`,
    );
    closeAll([writer, ...readers]);
  }
}

/** Burst: 50 peers, 1,000 updates/s for 5 s. */
async function burstCpu(s: ManagedServer, pgid: number): Promise<void> {
  {
    const peers = await openMany(await s.createRoom(`cpu-burst-${Date.now()}`), 50, { applyRemote: false });
    const counter = new DeliveryCounter(peers);
    for (const p of peers) typeChar(p);
    await sleep(1000);
    const c0 = cpuByProcess(s, pgid);
    const u0 = process.cpuUsage();
    const rate = 1000;
    const t0 = performance.now();
    let sent = 0;
    while (performance.now() - t0 < 5000) {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      for (; sent < due; sent++) typeChar(peers[sent % peers.length]!);
      await sleep(4);
    }
    await sleep(1000);
    const u = process.cpuUsage(u0);
    console.log(
      `${s.id} 50 peers @1000/s, server CPU per incoming update: ${diff(c0, cpuByProcess(s, pgid), sent)}; client ${((u.user + u.system) / 1000 / sent).toFixed(3)} ms; delivered ${counter.delivered}`,
    );
    closeAll(peers);
  }
}

await main();
