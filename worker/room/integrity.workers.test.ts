/**
 * Integrity: no input may make a room stop saving, lose an acknowledged edit, or store
 * something that breaks a reader. Each test reproduces a finding of the integrity
 * review (it fails on the code before the fix) and checks the room keeps working for
 * everyone else.
 */
import { runInDurableObject } from "cloudflare:test";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { CloseCode } from "../../shared/close-codes";
import { encodeSyncFrame, SyncType } from "../../shared/frames";
import { MAX_DOCUMENT_BYTES, MAX_PENDING_BYTES_PER_CONNECTION, MAX_STORED_ROW_BYTES } from "../../shared/limits";
import type { Document } from "../Document";
import { connect, createDoc, type Peer } from "../test-support/client";
import { api } from "../test-support/content";
import { randomText, restart, storedDoc, stub } from "../test-support/storage";
import { appendParagraph, paragraphText } from "../test-support/ydoc";
import { roomOf } from "../test-support/room";

const POISON = Uint8Array.from("01020b000101046a756e6b000401046a756e6b017900".match(/../g)!.map((h) => parseInt(h, 16)));

const sendUpdate = (p: Peer, update: Uint8Array) => p.send(encodeSyncFrame(SyncType.Update, update));

/** An update made on a copy of `base` (which the server does not have). */
function dependentUpdate(base: Y.Doc, change: (d: Y.Doc) => void): Uint8Array {
  const d = new Y.Doc();
  Y.applyUpdate(d, Y.encodeStateAsUpdate(base));
  const sv = Y.encodeStateVector(d);
  change(d);
  return Y.encodeStateAsUpdate(d, sv);
}

function maxRowBytes(id: string): Promise<number> {
  return runInDurableObject(stub(id), (_i: Document, s) =>
    Number(s.storage.sql.exec("SELECT coalesce(max(length(data)), 0) AS n FROM updates").one().n),
  );
}

describe("hostile updates", () => {
  it("refuses the 22-byte update that stopped all saving; everyone else keeps saving and receiving", async () => {
    const doc = await createDoc();
    const writer = await connect(doc.id, doc.editToken);
    const reader = await connect(doc.id, doc.viewToken);
    const attacker = await connect(doc.id, doc.editToken);
    writer.para().insert(0, "before");
    await writer.saved();
    sendUpdate(attacker, POISON);
    await attacker.until(() => attacker.closed !== null, "attacker cut");
    expect(attacker.closed?.code).toBe(CloseCode.Unprocessable);
    expect(attacker.errors()).toEqual(["invalid-update"]);
    writer.para().insert(6, " after");
    await writer.saved();
    await reader.until(() => reader.text() === "before after", "reader receives");
    const version = await api(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "still works" } });
    expect(version.status).toBe(201);
    await restart(doc.id);
    expect((await storedDoc(doc.id)).text).toBe("before after");
    writer.close();
    reader.close();
  });

  it("refuses content the editor cannot show, to its sender only; exports keep answering", async () => {
    const doc = await createDoc();
    const writer = await connect(doc.id, doc.editToken);
    writer.para().insert(0, "kept");
    await writer.saved();
    const attempts: [string, (d: Y.Doc) => void][] = [
      ["a title that is a number", (d) => d.getMap("meta").set("title", 42)],
      ["a script element", (d) => d.getXmlFragment(YDOC_CONTENT_FIELD).insert(0, [new Y.XmlElement("script")])],
      ["a nested fragment", (d) => d.getXmlFragment(YDOC_CONTENT_FIELD).insert(0, [new Y.XmlFragment() as unknown as Y.XmlElement])],
      ["another root", (d) => d.getText("t").insert(0, "x")],
      [
        "a quote nested 20,000 deep",
        (d) => {
          let parent: Y.XmlFragment = d.getXmlFragment(YDOC_CONTENT_FIELD);
          for (let i = 0; i < 20_000; i++) {
            const q = new Y.XmlElement("blockquote");
            parent.insert(0, [q]);
            parent = q;
          }
        },
      ],
    ];
    for (const [what, change] of attempts) {
      const t0 = Date.now();
      const attacker = await connect(doc.id, doc.editToken);
      await attacker.until(() => attacker.text() === "kept", "synced");
      const sv = Y.encodeStateVector(attacker.doc);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(attacker.doc));
      copy.transact(() => change(copy));
      sendUpdate(attacker, Y.encodeStateAsUpdate(copy, sv));
      await attacker.until(() => attacker.closed !== null, `${what}: cut`);
      expect(attacker.closed?.code, what).toBe(CloseCode.Unprocessable);
      expect(attacker.errors(), what).toEqual(["invalid-update"]);
      console.log(what, Date.now() - t0, "ms");
    }
    expect(writer.errors()).toEqual([]);
    writer.para().insert(4, "!");
    await writer.saved();
    for (const format of ["md", "html", "txt", "json"]) {
      const res = await api(`/api/docs/${doc.id}/export?format=${format}`, { token: doc.viewToken });
      expect(res.status, format).toBe(200);
    }
    await restart(doc.id);
    const stored = await storedDoc(doc.id);
    expect(stored.text).toBe("kept!");
    expect(typeof stored.title).toBe("string");
    writer.close();
  }, 120_000);
});

describe("pending structs", () => {
  it("holds an update whose base is missing, unacknowledged, and applies it when the base arrives", async () => {
    const doc = await createDoc();
    const base = new Y.Doc();
    appendParagraph(base, "base");
    const dependent = dependentUpdate(base, (d) => paragraphText(d, 0).insert(4, " and more"));
    const early = await connect(doc.id, doc.editToken);
    sendUpdate(early, dependent);
    const ack = early.saved();
    let acked = false;
    void ack.then(() => (acked = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(acked).toBe(false);
    expect((await storedDoc(doc.id)).text).toBe("");
    const other = await connect(doc.id, doc.editToken);
    sendUpdate(other, Y.encodeStateAsUpdate(base));
    await other.saved();
    await ack;
    expect((await storedDoc(doc.id)).text).toBe("base and more");
    expect(early.closed).toBeNull();
    early.close();
    other.close();
  });

  it("cuts a connection that parks more than its share of pending bytes; nothing of it is stored", async () => {
    const doc = await createDoc();
    const writer = await connect(doc.id, doc.editToken);
    writer.para().insert(0, "honest");
    await writer.saved();
    const base = new Y.Doc();
    appendParagraph(base, "never sent");
    const parker = await connect(doc.id, doc.editToken);
    // Pieces under the per-connection share, so it is their sum that passes it.
    const piece = Math.floor(MAX_PENDING_BYTES_PER_CONNECTION / 3);
    const count = Math.ceil(MAX_PENDING_BYTES_PER_CONNECTION / piece) + 2;
    for (let i = 0; i < count; i++) {
      sendUpdate(
        parker,
        dependentUpdate(base, (d) => paragraphText(d, 0).insert(0, randomText(piece))),
      );
    }
    await parker.until(() => parker.closed !== null, "parker cut", 15_000);
    expect(parker.closed?.code).toBe(CloseCode.Conflict);
    expect(parker.errors()).toContain("missing-dependencies");
    writer.para().insert(6, "!");
    await writer.saved();
    const held = await runInDurableObject(stub(doc.id), (i: Document) => roomOf(i).applier.held.bytes);
    expect(held).toBe(0);
    await restart(doc.id);
    const stored = await storedDoc(doc.id);
    expect(stored.text).toBe("honest!");
    writer.close();
  }, 30_000);
});

describe("large updates", () => {
  it("stores a burst of 20 large updates in rows under the row limit, and loses none after a restart", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const chunks: string[] = [];
    // As large as the document limit lets 20 of them be: batches of them pass MAX_BATCH_BYTES.
    const size = Math.floor((0.9 * MAX_DOCUMENT_BYTES) / 20);
    for (let i = 0; i < 20; i++) {
      const chunk = `<${i}>${randomText(size)}`;
      chunks.push(chunk);
      appendParagraph(a.doc, chunk);
    }
    await a.saved(45_000).catch((e: unknown) => {
      throw new Error(`${String(e)}: ${JSON.stringify(a.closed)} ${JSON.stringify(a.messages.filter((m) => m.type === "error"))}`);
    });
    expect(await maxRowBytes(doc.id)).toBeLessThanOrEqual(MAX_STORED_ROW_BYTES);
    await restart(doc.id);
    const stored = await storedDoc(doc.id);
    expect(stored.paragraphs).toEqual(chunks);
    a.close();
  }, 60_000);
});
