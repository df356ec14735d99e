/**
 * Abuse resistance on the document socket: no client can pick its connection id, act
 * for someone else's presence, flood the room with save checks, or fill it with
 * sockets. Each test fails on the code before these limits.
 */
import { SELF } from "cloudflare:test";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/close-codes";
import { encodeAwarenessFrame, encodeSyncFrame, MessageType, SyncType } from "../../shared/frames";
import {
  MAX_VIEWER_CONNECTIONS_PER_DOCUMENT,
  RATE_AWARENESS_BYTES_BURST,
  RATE_AWARENESS_BYTES_PER_SECOND,
  RATE_SYNC_CHECKS_BURST,
} from "../../shared/limits";
import { CUSTOM_MESSAGE_PREFIX } from "../../shared/protocol";
import { connect, createDoc, ORIGIN, Peer } from "../test-support/client";

async function connectRaw(id: string, query: string): Promise<Peer> {
  const res = await SELF.fetch(`${ORIGIN}/parties/document/${id}?${query}`, { headers: { Upgrade: "websocket" } });
  const ws = res.webSocket!;
  (ws as WebSocket & { binaryType: string }).binaryType = "arraybuffer";
  ws.accept();
  const peer = new Peer(ws);
  peer.send(encodeSyncFrame(SyncType.Step1, Y.encodeStateVector(peer.doc)));
  await peer.until(() => peer.messages.some((m) => m.type === "welcome") || peer.closed !== null, "welcome");
  return peer;
}

function welcomeId(p: Peer): string | null {
  const w = p.messages.find((m) => m.type === "welcome");
  return w?.type === "welcome" ? w.connectionId : null;
}

function presenceFrame(clientID: number, clock: number, state: unknown): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clientID);
  encoding.writeVarUint(e, clock);
  encoding.writeVarString(e, JSON.stringify(state));
  return encodeAwarenessFrame(encoding.toUint8Array(e));
}

/** Everyone's presence as a peer has received it. */
function presenceSeen(p: Peer): Map<number, unknown> {
  const seen = new awarenessProtocol.Awareness(new Y.Doc());
  clearInterval((seen as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  for (const f of p.binary) {
    const d = decoding.createDecoder(f);
    if (decoding.readVarUint(d) !== MessageType.Awareness) continue;
    awarenessProtocol.applyAwarenessUpdate(seen, decoding.readVarUint8Array(d), null);
  }
  return seen.getStates();
}

describe("connection ids", () => {
  it("are the server's: two sockets sending the same _pk get different ids", async () => {
    const doc = await createDoc();
    const a = await connectRaw(doc.id, `token=${doc.editToken}&_pk=shared`);
    const b = await connectRaw(doc.id, `token=${doc.editToken}&_pk=shared`);
    expect(welcomeId(a)).not.toBe("shared");
    expect(welcomeId(a)).not.toBe(welcomeId(b));
    a.close();
    b.close();
  });

  it("a 300-character _pk or a 17 KB query string gets a normal connection, never a stack trace", async () => {
    const doc = await createDoc();
    for (const query of [`token=${doc.editToken}&_pk=${"p".repeat(300)}`, `token=${doc.editToken}&junk=${"j".repeat(17_000)}`]) {
      const p = await connectRaw(doc.id, query);
      expect(p.closed).toBeNull();
      expect(welcomeId(p)).toMatch(/^[A-Za-z0-9_-]{16,32}$/);
      p.close();
    }
  });
});

describe("presence", () => {
  it("a connection speaks for one client only: others' names, removals and junk states are not relayed", async () => {
    const doc = await createDoc();
    const ana = await connect(doc.id, doc.editToken);
    const mallory = await connect(doc.id, doc.viewToken);
    const ben = await connect(doc.id, doc.editToken);
    ana.send(presenceFrame(101, 1, { user: { name: "Ana", color: "#e03131" } }));
    await ben.until(() => (presenceSeen(ben).get(101) as { user?: { name: string } } | undefined)?.user?.name === "Ana", "Ana present");
    mallory.send(presenceFrame(202, 1, { user: { name: "Mallory", color: "#000000" } })); // binds Mallory to 202
    mallory.send(presenceFrame(101, 99, { user: { name: "Ana is an idiot", color: "#e03131" }, ai: null }));
    mallory.send(presenceFrame(101, 100, null));
    mallory.send(presenceFrame(202, 2, "x"));
    mallory.send(presenceFrame(202, 3, 42));
    ana.send(presenceFrame(101, 2, { user: { name: "Ana", color: "#e03131" }, activity: "typing" }));
    await ben.until(() => (presenceSeen(ben).get(101) as { activity?: string } | undefined)?.activity === "typing", "Ana's own change");
    await new Promise((r) => setTimeout(r, 100));
    const seen = presenceSeen(ben);
    expect(seen.get(101)).toEqual({ user: { name: "Ana", color: "#e03131" }, activity: "typing" });
    expect(seen.get(202)).toEqual({ user: { name: "Mallory", color: "#000000" }, cursor: null, viewer: true });
    expect(mallory.errors().filter((e) => e === "bad-frame")).toHaveLength(2);
    expect(ben.errors()).toEqual([]);
    for (const p of [ana, mallory, ben]) p.close();
  });

  it("a presence flood is bounded in bytes per second for every peer", { timeout: 20_000 }, async () => {
    const doc = await createDoc();
    const flooder = await connect(doc.id, doc.editToken);
    const reader = await connect(doc.id, doc.viewToken);
    const before = reader.binary.reduce((n, f) => n + f.byteLength, 0);
    const big = "N".repeat(1_800); // 8 KB states were relayed as they were
    const started = Date.now();
    for (let i = 0; i < 400; i++) {
      flooder.send(presenceFrame(303, i + 1, { user: { name: `${big}${i}`, color: "#123456" }, activity: i % 2 ? "typing" : "idle" }));
    }
    flooder.send(presenceFrame(303, 401, { user: { name: "Done", color: "#123456" } }));
    await reader.until(
      () => (presenceSeen(reader).get(303) as { user?: { name: string } } | undefined)?.user?.name === "Done",
      "last state",
      10_000,
    );
    const seconds = Math.max(1, (Date.now() - started) / 1000);
    const received = reader.binary.reduce((n, f) => n + f.byteLength, 0) - before;
    // 400 states of ~1.9 KB are ~760 KB; what reaches the reader stays within the byte
    // budget (its burst, its rate, and the last state merged at the end). Real states
    // are far smaller: oversized ones are refused to their sender.
    expect(received).toBeLessThan(RATE_AWARENESS_BYTES_BURST + RATE_AWARENESS_BYTES_PER_SECOND * seconds + 8 * 1024);
    flooder.close();
    reader.close();
  });
});

describe("floods and crowds", () => {
  it("closes a connection flooding save checks with 4429", async () => {
    const doc = await createDoc();
    const p = await connect(doc.id, doc.editToken);
    for (let i = 0; i < RATE_SYNC_CHECKS_BURST * 5; i++)
      p.send(`${CUSTOM_MESSAGE_PREFIX}${JSON.stringify({ type: "sync-check", seq: i })}`);
    await p.until(() => p.closed !== null, "closed");
    expect(p.closed?.code).toBe(CloseCode.TooManyRequests);
  });

  it(`takes at most ${MAX_VIEWER_CONNECTIONS_PER_DOCUMENT} viewer sockets; editors still get in`, async () => {
    const doc = await createDoc();
    const viewers: Peer[] = [];
    for (let i = 0; i < MAX_VIEWER_CONNECTIONS_PER_DOCUMENT; i++) viewers.push(await connect(doc.id, doc.viewToken, { sync: false }));
    const extra = await connect(doc.id, doc.viewToken, { sync: false });
    await extra.until(() => extra.closed !== null, "refused");
    expect(extra.closed?.code).toBe(CloseCode.Unavailable);
    const editor = await connect(doc.id, doc.editToken);
    expect(editor.closed).toBeNull();
    expect(welcomeId(editor)).not.toBeNull();
    for (const v of viewers) v.close();
    editor.close();
  }, 60_000);
});
