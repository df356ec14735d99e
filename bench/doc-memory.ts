/**
 * What a document costs the server's memory once it is open (issue 22 #9): a Durable
 * Object has a 128 MB isolate on Cloudflare, so MAX_DOCUMENT_BYTES must be a state that
 * opens in one with room to spare. For each shape, against `npm start`'s serving path
 * (one workerd, startQuire):
 *
 *   1. fill a document (frames under MAX_MESSAGE_BYTES, each saved before the next);
 *   2. restart the server on the same state (a cold room, as after eviction), read the
 *      idle memory;
 *   3. open the document with SOCKETS sockets while a DOCX export of it runs, and read
 *      the peak memory while they load, then the steady memory once all are synced and
 *      the export is downloaded (sockets still open).
 *
 * Memory is read two ways: the workerd process's resident set (VmRSS in /proc; the
 * Node supervisor in the same process group is reported apart, it holds no document),
 * sampled every SAMPLE_MS, so the peak is the highest sample; and the Quire Worker
 * isolate's V8 heap through workerd's inspector (Runtime.getHeapUsage at idle and
 * steady; workerd does not answer a request for a forced GC). RSS over-counts the isolate (workerd itself, SQLite's page
 * cache, socket buffers), which makes it the safe side for a limit.
 *
 * Shapes: `text-<MB>` paragraphs of plain text (one heading every 12), and `typing`,
 * one writer's scattered one-character inserts and deletions (a typing trace's shape
 * at its worst: every character its own item, a third of them tombstones), sized
 * past MAX_DOCUMENT_ITEMS. `empty` is a room with one short paragraph: the floor.
 *
 * Run: npm run build && npx tsx bench/doc-memory.ts [shape,shape…]
 *   → bench/results/doc-memory/<stamp>-<commit>.json and bench/results/doc-memory.md
 *   (bench/doc-memory-report.ts renders the summary from the file).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../shared/api";
import { encodeSyncFrame, SyncType } from "../shared/frames";
import { rng } from "../e2e/support/hostile";
import { createDoc, docUrl, freePort, ROOT, startQuire, type QuireServer } from "../e2e/support/server";
import { YClient } from "../e2e/support/yclient";
import { renderDocMemory, type DocMemoryResult, type ShapeMemory } from "./doc-memory-report";
import { Inspector } from "./lib/inspector";
import { groupPids, rssByCommand } from "./lib/proc";
import { runStamp, writeAtomic } from "./lib/result-files";
import { systemInfo } from "./lib/sysinfo";

const SOCKETS = Number(process.env.DOC_MEMORY_SOCKETS ?? 30);
const SAMPLE_MS = 20;
const FRAME_CHARS = 700 * 1024;
const DEFAULT_SHAPES = ["empty", "text-0.25", "text-0.5", "text-1", "text-2", "text-4", "typing"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WORDS =
  "the of and a to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first been call who oil its now find long down day did get come made may part".split(
    " ",
  );

/** A document's fill: frames of Yjs updates, each to be saved before the next is sent. */
function* textFrames(textBytes: number): Generator<Uint8Array> {
  const rand = rng(0xd0c);
  const doc = new Y.Doc();
  doc.clientID = 7001;
  const fragment = doc.getXmlFragment(YDOC_CONTENT_FIELD);
  let total = 0;
  let block = 0;
  while (total < textBytes) {
    const sv = Y.encodeStateVector(doc);
    doc.transact(() => {
      const items: Y.XmlElement[] = [];
      for (let chars = 0; chars < FRAME_CHARS && total < textBytes; ) {
        block += 1;
        const heading = block % 12 === 0;
        const words: string[] = [];
        for (let n = heading ? 6 : 100; n > 0; n--) words.push(WORDS[Math.floor(rand() * WORDS.length)]!);
        const line = words.join(" ");
        const el = new Y.XmlElement(heading ? "heading" : "paragraph");
        if (heading) el.setAttribute("level", 2 as unknown as string);
        el.insert(0, [new Y.XmlText(line)]);
        items.push(el);
        chars += line.length;
        total += line.length;
      }
      fragment.push(items);
    });
    yield Y.encodeStateAsUpdate(doc, sv);
  }
}

/** One writer typing all over one paragraph, then deleting a third of it, a character at
 * a time: `inserts` items plus the splits and tombstones that leaves. */
function* typingFrames(inserts: number): Generator<Uint8Array> {
  const rand = rng(0x7e57);
  const doc = new Y.Doc();
  doc.clientID = 7002;
  const p = new Y.XmlElement("paragraph");
  const text = new Y.XmlText("typing");
  p.insert(0, [text]);
  doc.getXmlFragment(YDOC_CONTENT_FIELD).insert(0, [p]);
  yield Y.encodeStateAsUpdate(doc);
  const step = (n: number, change: () => void) => {
    const sv = Y.encodeStateVector(doc);
    doc.transact(() => {
      for (let i = 0; i < n; i++) change();
    });
    return Y.encodeStateAsUpdate(doc, sv);
  };
  const perFrame = 40_000;
  for (let done = 0; done < inserts; done += perFrame) {
    yield step(Math.min(perFrame, inserts - done), () => text.insert(Math.floor(rand() * (text.length + 1)), WORDS[0]![0]!));
  }
  const deletes = Math.floor(inserts / 3);
  for (let done = 0; done < deletes; done += perFrame) {
    yield step(Math.min(perFrame, deletes - done), () => text.delete(Math.floor(rand() * text.length), 1));
  }
}

/** 120,000 one-character items, 40,000 of them deleted (tombstones): under the item
 * bound of the commit that set it from this bench (200,000), twice the one it set. */
const TYPING_INSERTS = 120_000;

function framesFor(shape: string): Generator<Uint8Array> {
  if (shape === "empty") return textFrames(100);
  if (shape === "typing") return typingFrames(TYPING_INSERTS);
  const mb = Number(/^text-([\d.]+)$/.exec(shape)?.[1]);
  if (!(mb > 0)) throw new Error(`unknown shape ${shape}`);
  return textFrames(Math.round(mb * 1_000_000));
}

interface Health {
  stateBytes: { value: number };
  items: { value: number };
  deletedItems: number;
}

async function health(server: QuireServer, id: string, ownerToken: string): Promise<Health> {
  const res = await fetch(`${server.http}/api/docs/${id}/health`, { headers: { authorization: `Bearer ${ownerToken}` } });
  if (!res.ok) throw new Error(`health ${res.status}`);
  return (await res.json()) as Health;
}

interface Filled {
  shape: string;
  id: string;
  ownerToken: string;
  editToken: string;
  textBytes: number;
  frames: number;
  refused: string | null;
}

async function fill(server: QuireServer, shape: string): Promise<Filled> {
  const doc = await createDoc(server, `doc-memory: ${shape}`);
  const writer = await YClient.open(docUrl(server, doc.id, doc.editToken), { applyRemote: false, applyAwareness: false });
  let frames = 0;
  let refused: string | null = null;
  for (const frame of framesFor(shape)) {
    writer.sendRaw(encodeSyncFrame(SyncType.Update, frame));
    try {
      await writer.saved(180_000);
    } catch {
      // Past the document's limits (4413): measured as far as it was accepted.
      refused = writer.closeEvent ? `${writer.closeEvent.code} ${writer.closeEvent.reason}` : "no answer";
      break;
    }
    frames += 1;
  }
  if (!refused) await writer.close();
  const text = await fetch(`${server.http}/api/docs/${doc.id}/export?format=md`, {
    headers: { authorization: `Bearer ${doc.ownerToken}` },
  });
  const textBytes = (await text.arrayBuffer()).byteLength;
  return { shape, id: doc.id, ownerToken: doc.ownerToken, editToken: doc.editToken, textBytes, frames, refused };
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

const workerdRss = (r: Record<string, number>) => r.workerd ?? 0;
const totalRss = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

async function measure(filled: Filled, stateDir: string): Promise<ShapeMemory> {
  const inspectorPort = await freePort();
  const server = await startQuire({ stateDir, env: { QUIRE_INSPECTOR_PORT: String(inspectorPort), NO_COLOR: "1" } });
  try {
    const pids = groupPids(server.pgid);
    const inspector = await Inspector.open(inspectorPort);
    // workerd's inspector never answers HeapProfiler.collectGarbage, so these are
    // readings as V8 left the heap (no forced GC).
    const heap = () => inspector.call<HeapUsage>("Runtime.getHeapUsage");
    await sleep(2000);
    const idleHeap = await heap();
    const idle = rssByCommand(pids);

    let peak = idle;
    let peakHeap = idleHeap;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = rssByCommand(pids);
        if (workerdRss(now) > workerdRss(peak)) peak = now;
        await sleep(SAMPLE_MS);
      }
    })();
    // The inspector answers between the isolate's tasks: a coarser peak, but the isolate's own.
    const heapSampler = (async () => {
      while (sampling) {
        const h = await heap();
        if (h.totalSize > peakHeap.totalSize) peakHeap = h;
        await sleep(SAMPLE_MS);
      }
    })();
    const t0 = performance.now();
    const exported = (async () => {
      const res = await fetch(`${server.http}/api/docs/${filled.id}/export?format=docx`, {
        headers: { authorization: `Bearer ${filled.ownerToken}` },
      });
      const bytes = (await res.arrayBuffer()).byteLength;
      if (!res.ok) throw new Error(`export ${res.status}`);
      return { bytes, ms: performance.now() - t0 };
    })();
    const url = docUrl(server, filled.id, filled.editToken);
    const clients = await Promise.all(
      Array.from({ length: SOCKETS }, () => YClient.open(url, { applyRemote: false, applyAwareness: false })),
    );
    const openMs = performance.now() - t0;
    const exp = await exported;
    // Sampled on through the steady reading: a room can still grow after every socket synced.
    await sleep(3000);
    sampling = false;
    await sampler;
    await heapSampler;
    const steadyHeap = await heap();
    const steady = rssByCommand(pids);
    const h = await health(server, filled.id, filled.ownerToken);
    await Promise.all(clients.map((c) => c.close()));
    inspector.close();
    return {
      shape: filled.shape,
      refused: filled.refused,
      textBytes: filled.textBytes,
      stateBytes: h.stateBytes.value,
      items: h.items.value,
      deletedItems: h.deletedItems,
      sockets: SOCKETS,
      openMs: Math.round(openMs),
      exportMs: Math.round(exp.ms),
      docxBytes: exp.bytes,
      rss: {
        idle: workerdRss(idle),
        peak: workerdRss(peak),
        steady: workerdRss(steady),
        supervisorIdle: totalRss(idle) - workerdRss(idle),
        supervisorPeak: totalRss(peak) - workerdRss(peak),
      },
      heap: {
        idleUsed: idleHeap.usedSize,
        idleTotal: idleHeap.totalSize,
        peakTotal: peakHeap.totalSize,
        steadyUsed: steadyHeap.usedSize,
        steadyTotal: steadyHeap.totalSize,
      },
    };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const shapes = process.argv[2]?.split(",") ?? DEFAULT_SHAPES;
  const system = systemInfo(ROOT);
  console.log(`load ${system.loadAvgAtStart.join(" ")}; commit ${system.gitCommit}${system.gitDirty ? " (dirty)" : ""}`);
  const filler = await startQuire();
  const filled: Filled[] = [];
  try {
    for (const shape of shapes) {
      const f = await fill(filler, shape);
      console.log(`filled ${shape}: ${f.textBytes} bytes of text in ${f.frames} frames${f.refused ? `, then refused (${f.refused})` : ""}`);
      filled.push(f);
    }
  } finally {
    await filler.stop();
  }
  const results: ShapeMemory[] = [];
  for (const f of filled) {
    const r = await measure(f, filler.stateDir);
    console.log(`${f.shape}: ${JSON.stringify(r)}`);
    results.push(r);
  }
  const out: DocMemoryResult = {
    schema: 1,
    system,
    loadAvgAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    sockets: SOCKETS,
    sampleMs: SAMPLE_MS,
    results,
  };
  const stamp = runStamp(system.date, system.gitCommit, system.gitDirty);
  const dir = join(ROOT, "bench/results/doc-memory");
  mkdirSync(dir, { recursive: true });
  const file = `bench/results/doc-memory/${stamp}.json`;
  writeAtomic(join(ROOT, file), `${JSON.stringify(out, null, 2)}\n`);
  writeFileSync(join(ROOT, "bench/results/doc-memory.md"), renderDocMemory(out, file));
  console.log(`wrote ${file}`);
  console.log(renderDocMemory(out, file));
}

await main();
