/**
 * Fuzzing the document socket: a hostile editor sends ≥ 10,000 mutated frames (bit
 * flips, truncations, wrong type bytes, huge varints, oversized frames, hostile but
 * valid Yjs updates, awareness spam) into a room with two honest editors. The honest
 * editors must stay identical, intact and error-free, the stored document must equal
 * theirs, and the room must keep working.
 */
import { env, runInDurableObject } from "cloudflare:test";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { expect, it } from "vitest";
import { encodeAwarenessFrame, encodeSyncFrame, SyncType } from "../../shared/frames";
import { MAX_MESSAGE_BYTES } from "../../shared/limits";
import type { Document } from "../Document";
import { DocStore } from "../storage/store";
import { connect, createDoc, type Peer } from "../test-support/client";
import { allText, paragraphText } from "../test-support/ydoc";

const FRAMES = 10_000;

/** Deterministic PRNG so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seeds(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const text = paragraphText(doc, 0);
  for (let i = 0; i < 20; i++) text.insert(text.length, `fuzz${i} `);
  text.delete(2, 5);
  doc.getMap("meta").set("title", "hostile");
  const frames = updates.map((u) => encodeSyncFrame(SyncType.Update, u));
  frames.push(encodeSyncFrame(SyncType.Step1, Y.encodeStateVector(doc)));
  frames.push(encodeSyncFrame(SyncType.Step2, Y.encodeStateAsUpdate(doc)));
  const aw = new awarenessProtocol.Awareness(doc);
  clearInterval((aw as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  aw.setLocalState({ user: { name: "Mallory", color: "#000000" }, cursor: null });
  frames.push(encodeAwarenessFrame(awarenessProtocol.encodeAwarenessUpdate(aw, [doc.clientID])));
  return frames;
}

/** Valid Yjs updates that are hostile: deletes of items that do not exist, structs
 * that depend on unknown clients, absurd clocks. */
function hostileUpdates(rand: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < 30; i++) {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 0); // no structs
    encoding.writeVarUint(enc, 1); // one client in the delete set
    encoding.writeVarUint(enc, Math.floor(rand() * 2 ** 31)); // unknown client
    encoding.writeVarUint(enc, 1);
    encoding.writeVarUint(enc, Math.floor(rand() * 2 ** 40)); // clock
    encoding.writeVarUint(enc, Math.floor(rand() * 2 ** 30)); // length
    out.push(encodeSyncFrame(SyncType.Update, encoding.toUint8Array(enc)));
  }
  // An update whose items reference a parent from a client nobody has seen.
  const a = new Y.Doc();
  paragraphText(a, 0).insert(0, "base");
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  const dependent: Uint8Array[] = [];
  b.on("update", (u: Uint8Array) => dependent.push(u));
  paragraphText(b, 0).insert(2, "orphan");
  out.push(...dependent.map((u) => encodeSyncFrame(SyncType.Update, u)));
  return out;
}

function mutate(frame: Uint8Array, rand: () => number): Uint8Array {
  const pick = rand();
  const f = new Uint8Array(frame);
  if (pick < 0.35) {
    for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
      const i = Math.floor(rand() * f.length);
      f[i] = f[i]! ^ (1 << Math.floor(rand() * 8));
    }
    return f;
  }
  if (pick < 0.55) return f.subarray(0, Math.floor(rand() * f.length));
  if (pick < 0.7) {
    f[0] = 2 + Math.floor(rand() * 250); // wrong message type
    return f;
  }
  if (pick < 0.8) {
    // A huge varint where a length belongs.
    return new Uint8Array([f[0]!, f[1] ?? 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, ...f.subarray(2, 20)]);
  }
  if (pick < 0.9) {
    const extra = new Uint8Array(Math.floor(rand() * 64));
    for (let i = 0; i < extra.length; i++) extra[i] = Math.floor(rand() * 256);
    const joined = new Uint8Array(f.length + extra.length);
    joined.set(f);
    joined.set(extra, f.length);
    return joined;
  }
  return f; // a valid frame, replayed
}

it(`${FRAMES} hostile frames hurt nobody but their sender`, async () => {
  const doc = await createDoc();
  const ana = await connect(doc.id, doc.editToken);
  const ben = await connect(doc.id, doc.editToken);
  ana.para().insert(0, "Ana's paragraph. ");
  await ana.saved();
  await ben.until(() => ben.text().length === 17, "ben synced");
  paragraphText(ben.doc, 1).insert(0, "Ben's paragraph. ");
  await ben.saved();
  await ana.until(() => ana.text().length === 34, "ana synced");

  const rand = rng(0xc0ffee);
  const base = [...seeds(), ...hostileUpdates(rand)];
  let mallory: Peer = await connect(doc.id, doc.editToken);
  let sent = 0;
  let closes = 0;
  while (sent < FRAMES) {
    if (mallory.closed) {
      closes++;
      mallory = await connect(doc.id, doc.editToken);
    }
    const r = rand();
    let frame: Uint8Array | string;
    if (r < 0.002)
      frame = new Uint8Array(MAX_MESSAGE_BYTES + 1 + Math.floor(rand() * 100)); // oversized
    else if (r < 0.03) frame = `__YPS:${JSON.stringify({ type: rand() < 0.5 ? "sync-check" : "???", seq: rand() < 0.5 ? -1 : "x" })}`;
    else if (r < 0.05)
      frame = base[base.length - 1 - Math.floor(rand() * 31)]!; // hostile updates
    else frame = mutate(base[Math.floor(rand() * base.length)]!, rand);
    mallory.send(frame);
    sent++;
    // Let the room breathe now and then, like a real flood over a network would.
    if (sent % 500 === 0) await mallory.saved().catch(() => {});
  }

  // The honest editors keep working and converge; they never saw an error.
  ana.para().insert(0, "Still here. ");
  // The room may still be working through the fuzzer's backlog on a busy machine.
  await ana.saved(30_000);
  await ben.until(() => ben.text() === ana.text(), "ben converged");
  await ben.saved(30_000);
  expect(ana.errors()).toEqual([]);
  expect(ben.errors()).toEqual([]);
  expect(ana.closed).toBeNull();
  expect(ben.closed).toBeNull();
  const honest = ana.text();
  expect(honest).toContain("Ana's paragraph.");
  expect(honest).toContain("Ben's paragraph.");
  expect(honest.startsWith("Still here. ")).toBe(true);
  expect(Y.encodeStateVector(ana.doc)).toEqual(Y.encodeStateVector(ben.doc));

  // What is stored equals what the honest editors have.
  const stored = await runInDurableObject(env.Document.getByName(doc.id), async (_i: Document, state) => {
    const d = new Y.Doc();
    await new DocStore(state.storage).loadInto(d);
    return allText(d);
  });
  expect(stored).toBe(honest);
  console.log(
    `fuzz: ${sent} frames, ${mallory.errors().length}+ errors to the fuzzer, ${closes} fuzzer disconnects (oversized, refused updates, flood), honest errors 0`,
  );
  expect(sent).toBeGreaterThanOrEqual(FRAMES);
}, 120_000);
