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
 * Run: npx tsx bench/wear.ts [shape,shape…]  → bench/results/wear.{json,md}
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../shared/api";
import { encodeSyncFrame, SyncType } from "../shared/frames";
import { createDoc, docUrl, ROOT, startQuire, type QuireServer } from "../e2e/support/server";
import { YClient } from "../e2e/support/yclient";
import { rng } from "../e2e/support/hostile";

const SHAPES = ["client-ids", "one-client", "tombstones", "conflicts"] as const;
type Shape = (typeof SHAPES)[number];
const ITEMS_PER_FRAME = 60_000;
const CONFLICTS_PER_FRAME = 10_000;
const FRAMES = 6;
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
  /** How the attacker's socket ended, if the server closed it. */
  closed: string | null;
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
    try {
      await attacker.saved(180_000);
    } catch {
      const ev = attacker.closeEvent;
      closed = ev ? `${ev.code} ${ev.reason}` : "no answer";
    }
    frameMs.push(performance.now() - t0);
    if (closed) {
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
    otherDocMaxMs: r1(Math.max(...other)),
    otherDocEdits: other.length,
    honestP50Ms: r1(pct(honest, 0.5)),
    honestP95Ms: r1(pct(honest, 0.95)),
  };
}

async function main(): Promise<void> {
  const only = (process.argv[2]?.split(",") ?? SHAPES) as Shape[];
  const commit = execFileSync("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const server = await startQuire();
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
  const out = { date: new Date().toISOString(), commit, edits: EDITS, control: { p50Ms: controlP50, p95Ms: controlP95 }, results };
  const md = [
    `# Wear: an honest edit's round trip after each attack`,
    ``,
    `Commit ${commit}, ${out.date}, \`npx tsx bench/wear.ts\` (one workerd as \`npm run serve\`, 2-core shared machine).`,
    `Control document: p50 ${controlP50} ms, p95 ${controlP95} ms (${EDITS} edits).`,
    ``,
    `| shape | frames (bytes) | each frame answered after, ms | attacker closed | other document's worst edit, ms | honest edit p50 / p95, ms |`,
    `|---|---|---|---|---:|---:|`,
    ...results.map(
      (r) =>
        `| ${r.shape} | ${r.frameBytes.length} (${Math.max(...r.frameBytes)} max) | ${r.frameMs.join(", ")} | ${r.closed ?? "no"} | ${r.otherDocMaxMs} | ${r.honestP50Ms} / ${r.honestP95Ms} |`,
    ),
    ``,
  ].join("\n");
  const name = process.env.WEAR_OUT ?? "wear";
  writeFileSync(join(ROOT, `bench/results/${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  writeFileSync(join(ROOT, `bench/results/${name}.md`), md);
  console.log(md);
}

await main();
