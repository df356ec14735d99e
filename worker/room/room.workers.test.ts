/**
 * The room core on its own: the hot path does each thing once, its own close path, and
 * the rebuild as a phase of the room.
 */
import { env, runInDurableObject } from "cloudflare:test";
import * as awarenessProtocol from "y-protocols/awareness";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { CloseCode } from "../../shared/close-codes";
import { encodeAwarenessFrame, encodeSyncFrame, MessageType, SyncType } from "../../shared/frames";
import type { Document } from "../Document";
import { DocStore } from "../storage/store";
import { connect, createDoc, type Peer } from "../test-support/client";
import { roomOf } from "../test-support/room";
import { refusal } from "./phase";
import { allText, paragraphText } from "../test-support/ydoc";

const stub = (id: string) => env.Document.getByName(id);

const rows = (id: string) =>
  runInDurableObject(stub(id), (_i: Document, s) =>
    s.storage.sql.exec<{ data: ArrayBuffer }>("SELECT data FROM updates ORDER BY id").toArray(),
  );

/** The sync "update" payloads a peer received, in order. */
function updatesSeen(peer: Peer): Uint8Array[] {
  return peer.binary.flatMap((frame) => {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== MessageType.Sync || decoding.readVarUint(d) !== SyncType.Update) return [];
    return [decoding.readVarUint8Array(d)];
  });
}

/** Presence as the editor sends it with every keystroke: the caret moved. */
function caretFrame(local: awarenessProtocol.Awareness, at: number): Uint8Array {
  local.setLocalState({ user: { name: "Ana", color: "#e03131" }, cursor: { anchor: { type: { client: 1, clock: at }, assoc: 0 } } });
  return encodeAwarenessFrame(awarenessProtocol.encodeAwarenessUpdate(local, [local.clientID]));
}

describe("the hot path", () => {
  it("stores and forwards the sender's own bytes, not a re-encoding, and never echoes them to it", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const b = await connect(doc.id, doc.editToken);
    // Two inserts as separate structs in one update (Y.mergeUpdates keeps them apart);
    // the live document merges them into one item, so Yjs would encode different bytes.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(a.doc));
    const fragment = peer.getXmlFragment(YDOC_CONTENT_FIELD);
    const updates: Uint8Array[] = [];
    peer.on("update", (u: Uint8Array) => updates.push(u));
    const p = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    p.insert(0, [text]);
    fragment.insert(0, [p]);
    text.insert(0, "a");
    text.insert(1, "b");
    const sent = Y.mergeUpdates(updates);
    const before = (await rows(doc.id)).length;
    a.send(encodeSyncFrame(SyncType.Update, sent));
    await a.saved();
    await b.until(() => b.text() === "ab", "b has it");
    expect(updatesSeen(b).at(-1)).toEqual(sent);
    expect(updatesSeen(a)).toEqual([]);
    const stored = await rows(doc.id);
    expect(stored).toHaveLength(before + 1);
    expect(new Uint8Array(stored.at(-1)!.data)).toEqual(sent);
    a.close();
    b.close();
  });

  it("does not cut the batch for presence or save checks, and acks each check after its updates are stored", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.para().insert(0, "start");
    await a.saved();
    const before = (await rows(doc.id)).length;
    // A browser's keystrokes, as they reach the room in one turn under load: each an
    // update, a caret move and (here every time) a save check.
    const editor = new Y.Doc();
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(a.doc));
    const keystrokes: Uint8Array[] = [];
    editor.on("update", (u: Uint8Array) => keystrokes.push(u));
    for (let i = 0; i < 30; i++) paragraphText(editor, 0).insert(0, String(i % 10));
    const local = new awarenessProtocol.Awareness(new Y.Doc());
    clearInterval((local as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    await runInDurableObject(stub(doc.id), (i: Document) => {
      const room = roomOf(i);
      const conn = [...room.conns.all()][0]!;
      keystrokes.forEach((u, n) => {
        room.receive(conn, encodeSyncFrame(SyncType.Update, u));
        room.receive(conn, caretFrame(local, n));
        room.receive(conn, `__YPS:${JSON.stringify({ type: "sync-check", seq: 100 + n })}`);
      });
    });
    await a.until(() => a.messages.some((m) => m.type === "saved" && m.seq === 129), "every check answered");
    const saved = a.messages.flatMap((m) => (m.type === "saved" && m.seq >= 100 ? [m.seq] : []));
    expect(saved).toEqual([...saved].sort((x, y) => x - y));
    // Two applied at once (DIRECT_UPDATES_PER_TICK), the rest as one batch at the tick's end;
    // a room that flushed on every caret or check wrote one row per keystroke.
    expect((await rows(doc.id)).length - before).toBeLessThanOrEqual(3);
    const check = new Y.Doc();
    await runInDurableObject(stub(doc.id), async (_i: Document, s) => {
      await new DocStore(s.storage).loadInto(check);
    });
    expect(allText(check)).toBe(allText(editor));
    a.close();
  });

  it("walks the connections once per batch: flow control and the send in one pass", async () => {
    const doc = await createDoc();
    const peers: Peer[] = [];
    for (let i = 0; i < 3; i++) peers.push(await connect(doc.id, doc.editToken));
    let walks = 0;
    await runInDurableObject(stub(doc.id), (i: Document) => {
      const { conns } = roomOf(i);
      const list = conns.list.bind(conns);
      conns.list = () => {
        walks += 1;
        return list();
      };
    });
    peers[0]!.para().insert(0, "x"); // two changes: the paragraph, then its text
    await peers[0]!.saved();
    await peers[2]!.until(() => peers[2]!.text() === "x", "arrived");
    walks = 0;
    const before = (await rows(doc.id)).length;
    peers[0]!.para().insert(1, "y");
    await peers[0]!.saved();
    await peers[2]!.until(() => peers[2]!.text() === "xy", "arrived");
    expect((await rows(doc.id)).length - before).toBe(1);
    expect(walks).toBe(1);
    for (const p of peers) p.close();
  });
});

describe("the close path", () => {
  it("answers a close without a status code (1005) with a normal closure, so the client is not left waiting", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.ws.close();
    await a.until(() => a.closed !== null, "the server's close", 3000);
    expect(a.closed?.code).toBe(1000);
  });
});

describe("the safety net", () => {
  it("stores and sends a change made to the live document outside the pipeline, and logs it", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const b = await connect(doc.id, doc.editToken);
    a.para().insert(0, "typed");
    await a.saved();
    await runInDurableObject(stub(doc.id), (i: Document) => {
      const live = roomOf(i).doc();
      // What a careless caller would do instead of room.serverChange().
      live.transact(() => paragraphText(live, 0).insert(5, " and stray"), "careless");
    });
    await b.until(() => b.text() === "typed and stray", "b got it");
    const check = new Y.Doc();
    await runInDurableObject(stub(doc.id), async (_i: Document, s) => {
      await new DocStore(s.storage).loadInto(check);
    });
    expect(allText(check)).toBe("typed and stray");
    a.close();
    b.close();
  });
});

describe("the handshake", () => {
  it("a client with nothing gets the document as it is now, also after changes (the kept answer is dropped)", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const fresh: Peer[] = [];
    for (let i = 0; i < 3; i++) {
      a.para().insert(0, String(i));
      await a.saved();
      // Two fresh clients in a row: the second gets the kept answer, both the latest text.
      for (let n = 0; n < 2; n++) {
        const c = await connect(doc.id, doc.viewToken);
        await c.until(() => c.synced && c.text() === a.text(), "synced to the latest text");
        fresh.push(c);
      }
    }
    for (const c of [a, ...fresh]) c.close();
  });
});

describe("a rebuild", () => {
  it("is a phase of the room: everyone is cut with 4503, nothing is changed or served while it runs, then the room is live again", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.para().insert(0, "before");
    await a.saved();
    const during = await runInDurableObject(stub(doc.id), (i: Document) => {
      const room = roomOf(i);
      return room.whileRebuilding(async () => {
        let serverChange = "applied";
        try {
          room.serverChange(() => paragraphText(room.doc(), 0).insert(0, "x"));
        } catch {
          serverChange = "refused";
        }
        return { phase: room.phase.kind, health: room.health(), newcomer: refusal(room.phase), serverChange };
      });
    });
    expect(during).toEqual({
      phase: "rebuilding",
      health: { readOnly: false, loadFailed: false, restarting: true },
      newcomer: { code: CloseCode.Unavailable, reason: "Rebuilding the document; reconnecting" },
      serverChange: "refused",
    });
    await a.until(() => a.closed !== null, "cut");
    expect(a.closed).toEqual({ code: CloseCode.Unavailable, reason: "Rebuilding the document; reconnecting" });
    // Reloaded from storage: a client of this epoch syncs and writes as usual.
    const b = await connect(doc.id, doc.editToken);
    await b.until(() => b.synced && b.text() === "before", "synced");
    b.para().insert(6, " and after");
    await b.saved();
    expect(await runInDurableObject(stub(doc.id), (i: Document) => roomOf(i).phase.kind)).toBe("live");
    b.close();
  });
});
