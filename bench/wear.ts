/**
 * What wears a document down (issue 22): an edit link sends frames that are each
 * within every per-frame limit, and afterwards every honest edit costs more. For each
 * shape this measures, end to end against `npm run serve` (one workerd, as `npm start`):
 *
 *   - each attack frame's time until the server answered it (saved, or the close that
 *     refused it): how long the isolate, shared by every document it hosts, was busy;
 *   - the worst edit round trip on ANOTHER document while the frames were applied;
 *   - an honest edit's round trip (one character, until "saved") on the attacked
 *     document afterwards, p50 and p95, beside a control document on the same server.
 *
 * The honest writer keeps only its own paragraph (it does not apply others' updates),
 * so the figures are the server's cost, not a client replaying the attack.
 *
 * Shapes (each frame ~840 KB or less, under MAX_MESSAGE_BYTES):
 *   client-ids   6 frames × 60,000 one-character items, each from a new Yjs client id
 *   one-client   the same items from one client id
 *   tombstones   3 frames × 60,000 one-character items from one client, then 3 frames
 *                deleting 60,000 scattered single characters each (a tombstone storm)
 *   conflicts    6 frames × 10,000 items from one client that all claim the same two
 *                neighbours (Yjs resolves each against all the others: a deep chain)
 *
 * Run: npx tsx bench/wear.ts [shape,shape…] [--root=<checkout>] [--label=<name>] [--frames=<n>]
 *   → bench/results/wear/<stamp>-<commit>.json, and bench/results/wear.md regenerated
 *     from the newest file of each commit (`--report` only regenerates it).
 * `--root` serves another checkout's build (its `npm run build`), so an older commit is
 * measured by the same script on the same machine; `--frames` (default 6) lowers the
 * frames per shape when a loaded machine cannot afford the whole run.
 */
import { readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../shared/api";
import { encodeSyncFrame, SyncType } from "../shared/frames";
import { createDoc, docUrl, ROOT, startQuire, type QuireServer } from "../e2e/support/server";
import { YClient } from "../e2e/support/yclient";
import { rng } from "../e2e/support/hostile";
import { RESULTS_DIR, readResult, runStamp, writeAtomic, writeResult } from "./lib/result-files";
import { systemInfo, type SystemInfo } from "./lib/sysinfo";

const SHAPES = ["client-ids", "one-client", "tombstones", "conflicts"] as const;
type Shape = (typeof SHAPES)[number];
const ITEMS_PER_FRAME = 60_000;
const CONFLICTS_PER_FRAME = 10_000;
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const FRAMES = Number(arg("frames") ?? 6);
const EDITS = Number(process.env.WEAR_EDITS ?? 60);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** A writer that edits only its own paragraph: one character, then waits for "saved". */
class Writer {
  private constructor(
    readonly client: YClient,
    private readonly text: Y.XmlText,
  ) {}

  static async open(server: QuireServer, id: string, token: string): Promise<Writer> {
    const client = await YClient.open(docUrl(server, id, token), { applyRemote: false, applyAwareness: false });
    const p = new Y.XmlElement("paragraph");
    const text = new Y.XmlText("honest writer");
    p.insert(0, [text]);
    client.doc.getXmlFragment(YDOC_CONTENT_FIELD).insert(0, [p]);
    await client.saved();
    return new Writer(client, text);
  }

  async edit(): Promise<number> {
    const t0 = performance.now();
    this.text.insert(3, "a");
    await this.client.saved(60_000);
    return performance.now() - t0;
  }

  async roundTrips(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      out.push(await this.edit());
      await sleep(20);
    }
    return out;
  }
}

/** The attacker's own paragraph, mirrored in a local doc that builds the frames. */
function attackerDoc(): { doc: Y.Doc; text: Y.XmlText; setup: Uint8Array } {
  const doc = new Y.Doc();
  doc.clientID = 4242;
  const p = new Y.XmlElement("paragraph");
  const text = new Y.XmlText("attack");
  p.insert(0, [text]);
  doc.getXmlFragment(YDOC_CONTENT_FIELD).insert(0, [p]);
  return { doc, text, setup: Y.encodeStateAsUpdate(doc) };
}

function framesFor(shape: Shape): Uint8Array[] {
  const rand = rng(0x3ea7);
  const { doc, text, setup } = attackerDoc();
  const frames: Uint8Array[] = [setup];
  const diff = (change: () => void) => {
    const sv = Y.encodeStateVector(doc);
    doc.transact(change);
    return Y.encodeStateAsUpdate(doc, sv);
  };
  const scatter = (n: number, client: (i: number) => number) =>
    diff(() => {
      for (let i = 0; i < n; i++) {
        doc.clientID = client(i);
        text.insert(Math.floor(rand() * (text.length + 1)), "x");
      }
    });
  let next = 1_000_000;
  switch (shape) {
    case "client-ids":
      for (let f = 0; f < FRAMES; f++) frames.push(scatter(ITEMS_PER_FRAME, () => next++));
      break;
    case "one-client":
      for (let f = 0; f < FRAMES; f++) frames.push(scatter(ITEMS_PER_FRAME, () => 4242));
      break;
    case "tombstones":
      for (let f = 0; f < FRAMES / 2; f++) frames.push(scatter(ITEMS_PER_FRAME, () => 4242));
      for (let f = 0; f < FRAMES / 2; f++)
        frames.push(
          diff(() => {
            for (let i = 0; i < ITEMS_PER_FRAME; i++) text.delete(Math.floor(rand() * text.length), 1);
          }),
        );
      break;
    case "conflicts": {
      // The attacker's text "attack" is one item (client 4242, clocks 2..7 after the
      // paragraph and the text type); every item claims "a" (clock 2) on its left and
      // "t" (clock 3) on its right, as if all were typed there at once.
      const start = Y.getState(doc.store, 4242);
      for (let f = 0; f < FRAMES; f++) frames.push(conflicting(4242, start + f * CONFLICTS_PER_FRAME, CONFLICTS_PER_FRAME, 2));
      break;
    }
  }
  return frames;
}

/** `n` one-character items of `client` from `clock`, all between (client, left) and (client, left + 1). */
function conflicting(client: number, clock: number, n: number, left: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, n);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  for (let i = 0; i < n; i++) {
    encoding.writeUint8(e, 0x04 | 0x80 | 0x40); // string, with origin and right origin
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, left);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, left + 1);
    encoding.writeVarString(e, "x");
  }
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

interface ShapeResult {
  shape: Shape;
  frameBytes: number[];
  /** Until the server answered each frame (saved, or refused). */
  frameMs: number[];
  /** How the attacker's socket ended, if the server closed it (the last such close). */
  closed: string | null;
  /** Frames the server refused (closed the socket on) rather than saved. */
  refusedFrames: number;
  /** Worst round trip of edits on another document while the frames were applied. */
  otherDocMaxMs: number;
  otherDocEdits: number;
  honestP50Ms: number;
  honestP95Ms: number;
}

async function attack(server: QuireServer, shape: Shape, control: Writer): Promise<ShapeResult> {
  const frames = framesFor(shape);
  const doc = await createDoc(server, `wear: ${shape}`);
  const writer = await Writer.open(server, doc.id, doc.editToken);
  const url = docUrl(server, doc.id, doc.editToken);
  let attacker = await YClient.open(url, { applyRemote: false, applyAwareness: false });
  const frameMs: number[] = [];
  let closed: string | null = null;
  let refusedFrames = 0;
  // Another document's editor keeps editing while the frames are applied.
  let running = true;
  const other: number[] = [];
  const probing = (async () => {
    while (running) {
      other.push(await control.edit());
      await sleep(10);
    }
  })();
  for (const [i, frame] of frames.entries()) {
    const t0 = performance.now();
    attacker.sendRaw(encodeSyncFrame(SyncType.Update, frame));
    let refused = false;
    try {
      await attacker.saved(180_000);
    } catch {
      const ev = attacker.closeEvent;
      closed = ev ? `${ev.code} ${ev.reason}` : "no answer";
      refused = true;
      refusedFrames++;
    }
    frameMs.push(performance.now() - t0);
    if (refused) {
      // A refused attacker comes back on a new socket, as a script would.
      console.log(`    frame ${i}: refused after ${r1(frameMs.at(-1)!)} ms (${closed})`);
      if (i < frames.length - 1) attacker = await YClient.open(url, { applyRemote: false, applyAwareness: false });
    } else console.log(`    frame ${i}: ${frame.byteLength} bytes, saved after ${r1(frameMs.at(-1)!)} ms`);
  }
  running = false;
  await probing;
  await attacker.close().catch(() => {});
  await sleep(500);
  const honest = await writer.roundTrips(EDITS);
  await writer.client.close();
  return {
    shape,
    frameBytes: frames.map((f) => f.byteLength),
    frameMs: frameMs.map(r1),
    closed,
    refusedFrames,
    otherDocMaxMs: r1(Math.max(...other)),
    otherDocEdits: other.length,
    honestP50Ms: r1(pct(honest, 0.5)),
    honestP95Ms: r1(pct(honest, 0.95)),
  };
}

interface WearResult {
  schema: 1;
  label: string | null;
  /** The checkout that was served (relative to this one, or absolute). */
  served: string;
  system: SystemInfo;
  loadAvgAtEnd: number[];
  framesPerShape: number;
  edits: number;
  control: { p50Ms: number; p95Ms: number };
  results: ShapeResult[];
}

async function main(): Promise<void> {
  const shapesArg = process.argv.slice(2).find((a) => !a.startsWith("--"));
  const only = (shapesArg?.split(",") ?? SHAPES) as Shape[];
  const served = resolve(arg("root") ?? ROOT);
  const system = systemInfo(served);
  const server = await startQuire({ root: served });
  const results: ShapeResult[] = [];
  let controlP50 = NaN;
  let controlP95 = NaN;
  try {
    const controlDoc = await createDoc(server, "wear: control");
    const control = await Writer.open(server, controlDoc.id, controlDoc.editToken);
    await control.roundTrips(20); // warm-up
    for (const shape of only) {
      console.log(`${shape}…`);
      const r = await attack(server, shape, control);
      console.log(`  ${JSON.stringify(r)}`);
      results.push(r);
    }
    const c = await control.roundTrips(EDITS);
    controlP50 = r1(pct(c, 0.5));
    controlP95 = r1(pct(c, 0.95));
    await control.client.close();
  } finally {
    await server.stop();
  }
  const out: WearResult = {
    schema: 1,
    label: arg("label") ?? null,
    served: served === resolve(ROOT) ? "." : served,
    system,
    loadAvgAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    framesPerShape: FRAMES,
    edits: EDITS,
    control: { p50Ms: controlP50, p95Ms: controlP95 },
    results,
  };
  const file = writeResult(ROOT, "wear", runStamp(system.date, system.gitCommit, system.gitDirty), out, false);
  console.log(`wrote ${file}`);
  report();
}

/** bench/results/wear.md: per shape, the newest run of each commit, oldest commit first. */
function report(): void {
  const dir = join(RESULTS_DIR, "wear");
  const files = readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(".json"))
    .sort();
  const newest = new Map<string, { file: string; run: WearResult }>();
  for (const f of files) {
    const run = readResult<WearResult>(ROOT, join(dir, f));
    newest.set(`${run.system.gitCommit}${run.system.gitDirty ? "-dirty" : ""}`, { file: f, run });
  }
  const runs = [...newest.values()].sort((a, b) => a.run.system.date.localeCompare(b.run.system.date));
  const name = ({ run }: { run: WearResult }) =>
    `${run.label ? `${run.label} ` : ""}${run.system.gitCommit}${run.system.gitDirty ? " (dirty)" : ""}`;
  const lines = [
    "# Wear: an honest edit's round trip before and after each attack",
    "",
    "Written by `npx tsx bench/wear.ts` (issue 22) from the result files in `bench/results/wear/`: for each",
    "commit, its newest run. Each run serves one checkout's build with one workerd (as `npm run serve`);",
    "an attacker with an edit link sends frames of one shape, each within every per-frame limit, while",
    "an editor keeps saving on another document; then an honest editor makes one-character edits on the",
    'attacked document, each timed until "saved". The control document is on the same server.',
    "Frame 0 of every shape is the attacker's own paragraph (45 bytes). A deletion frame of `tombstones`",
    "carries the attacker's whole delete set (as every Yjs update does), so by the last one, with nearly",
    'everything deleted, it is a few ranges. "Refused" counts frames the server closed the socket on',
    "(the attacker reconnects, as a script would); a refused frame changes nothing. The machine is a",
    "shared 2-core one with other work running (see the load averages): compare rows of one table, not",
    "single figures with other files.",
    "",
    "## Runs",
    "",
    "| run | file | date | machine | load average at start → end | frames per shape | edits |",
    "|---|---|---|---|---|---:|---:|",
    ...runs.map(
      (r) =>
        `| ${name(r)} | ${dir}/${r.file} | ${r.run.system.date} | ${r.run.system.cpu}, ${r.run.system.cores} cores, ${r.run.system.memGiB} GiB | ${r.run.system.loadAvgAtStart.join(" ")} → ${r.run.loadAvgAtEnd.join(" ")} | ${r.run.framesPerShape} | ${r.run.edits} |`,
    ),
    "",
  ];
  for (const shape of SHAPES) {
    const rows = runs.flatMap((r) => {
      const s = r.run.results.find((x) => x.shape === shape);
      return s ? [{ r, s }] : [];
    });
    if (rows.length === 0) continue;
    lines.push(
      `## ${shape}`,
      "",
      "| run | attack frames answered after, ms | refused | other document's worst round trip meanwhile, ms | honest edit p50 / p95 on the attacked document, ms | control p50 / p95, ms |",
      "|---|---|---|---:|---:|---:|",
      ...rows.map(
        ({ r, s }) =>
          `| ${name(r)} | ${s.frameMs.join(", ")} | ${s.refusedFrames ? `${s.refusedFrames} of ${s.frameMs.length} frames (${s.closed})` : "no"} | ${s.otherDocMaxMs} | ${s.honestP50Ms} / ${s.honestP95Ms} | ${r.run.control.p50Ms} / ${r.run.control.p95Ms} |`,
      ),
      "",
    );
  }
  writeAtomic(join(ROOT, RESULTS_DIR, "wear.md"), lines.join("\n"));
  console.log(lines.join("\n"));
}

if (process.argv.includes("--report")) report();
else await main();
