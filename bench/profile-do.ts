/**
 * Where the Durable Object's CPU goes: `npx tsx bench/profile-do.ts [--readers=30]
 * [--writes=1000]` (after `npm run build`). Starts Quire as `npm start` serves it,
 * with a fixed inspector port, takes a V8 CPU profile of the Worker isolate (the DO
 * runs in it) over a fan-out run (one writer, N readers, one write at a time), and
 * prints the functions with the most self time, and the share per package. Writes the
 * .cpuprofile to bench/results/ for Chrome DevTools. Not part of `npm run bench`.
 */
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { closeAll, openClient, openMany, ownClock, typeChar } from "./lib/clients";
import { DeliveryProbe } from "./lib/delivery";
import { Inspector } from "./lib/inspector";
import { createDoc, docUrl, freePort, startQuire } from "../e2e/support/server";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
const READERS = arg("readers", 30);
const WRITES = arg("writes", 1000);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function report(profile: Profile, writes: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || "(anonymous)";
    const url = n.callFrame.url;
    if (name === "(idle)" || name === "(program)") continue;
    total += us;
    const where = url.includes("node_modules/")
      ? url
          .split("node_modules/")
          .pop()!
          .split("/")
          .slice(0, url.includes("/@") ? 2 : 1)
          .join("/")
      : url
        ? url.split("/").slice(-2).join("/")
        : "(native)";
    fn.set(`${name} ${where}:${n.callFrame.lineNumber + 1}`, (fn.get(`${name} ${where}:${n.callFrame.lineNumber + 1}`) ?? 0) + us);
    const p = url.includes("node_modules/")
      ? url
          .split("node_modules/")
          .pop()!
          .split("/")
          .slice(0, url.split("node_modules/").pop()!.startsWith("@") ? 2 : 1)
          .join("/")
      : url
        ? "quire"
        : "(native/gc)";
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const ms = (us: number) => (us / 1000 / writes).toFixed(3);
  console.log(`busy JS time per write: ${ms(total)} ms (${writes} writes, ${READERS} readers)`);
  console.log("by package (ms per write):");
  for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${ms(v).padStart(7)}  ${k}`);
  console.log("top functions by self time (ms per write):");
  for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${ms(v).padStart(7)}  ${k}`);
}

const inspectorPort = await freePort();
const server = await startQuire({ env: { QUIRE_INSPECTOR_PORT: String(inspectorPort), NO_COLOR: "1" } });
try {
  const doc = await createDoc(server, "profile");
  const room = { name: doc.id, url: docUrl(server, doc.id, doc.editToken), opts: {} };
  const writer = await openClient(room);
  const readers = await openMany(room, READERS);
  const probe = new DeliveryProbe(readers);
  writer.paragraph();
  await probe.expect(writer.doc.clientID, ownClock(writer), 5_000);
  for (let i = 0; i < 100; i++) {
    const wait = probe.expect(writer.doc.clientID, ownClock(writer) + 1, 2_000);
    typeChar(writer);
    await wait;
  }
  const inspector = await Inspector.open(inspectorPort);
  await inspector.call("Profiler.enable");
  await inspector.call("Profiler.setSamplingInterval", { interval: 100 });
  await inspector.call("Profiler.start");
  for (let i = 0; i < WRITES; i++) {
    const wait = probe.expect(writer.doc.clientID, ownClock(writer) + 1, 2_000);
    typeChar(writer);
    await wait;
  }
  const { profile } = await inspector.call<{ profile: Profile }>("Profiler.stop");
  inspector.close();
  const out = join(root, "bench/results/do-profile.cpuprofile");
  writeFileSync(out, JSON.stringify(profile));
  report(profile, WRITES);
  console.log(`profile written to ${out}`);
  closeAll([writer, ...readers]);
} finally {
  await server.stop();
}
