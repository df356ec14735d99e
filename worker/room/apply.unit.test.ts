import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import type { DropReason } from "./acks";
import { Applier } from "./apply";
import { defaultRules } from "./content-rules";
import { checkUpdate } from "./update-check";

interface Conn {
  id: string;
  close(): void;
}

const conn = (id: string): Conn => ({ id, close: () => {} });

/** A room around a real Y.Doc, counting the checks the applier runs. */
function setup() {
  const doc = new Y.Doc();
  // The roots the editor uses exist before any update is checked (room.ts does the same).
  doc.getXmlFragment("default");
  const dropped: [string, DropReason][] = [];
  const holding: string[] = [];
  let checks = 0;
  const applier = new Applier<Conn>(
    {
      doc: () => doc,
      recovery: { refusedClients: () => new Set(), poisoned: () => {} },
      acks: { holding: (c) => holding.push(c.id), dropped: (c, why) => dropped.push([c.id, why]) },
      guard: { closeWith: () => {} },
      // Rules that let everything through: growth and identity marks have their own tests.
      defense: { batch: () => ({ of: () => ({ admit: () => null, marks: () => null }), accepted: () => {} }) },
    },
    defaultRules(),
  );
  applier.check = (...args) => {
    checks += 1;
    return checkUpdate(...args);
  };
  return { doc, applier, dropped, holding, checks: () => checks };
}

/** A client whose edits are Tiptap-shaped paragraphs in the content fragment. */
function client(id: number) {
  const doc = new Y.Doc();
  doc.clientID = id;
  return {
    doc,
    /** Appends a paragraph and returns the update that did it. */
    write(text: string): Uint8Array {
      const before = Y.encodeStateVector(doc);
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(text)]);
      const f = doc.getXmlFragment("default");
      f.insert(f.length, [p]);
      return Y.encodeStateAsUpdate(doc, before);
    },
    receive(update: Uint8Array) {
      Y.applyUpdate(doc, update);
    },
  };
}

describe("Applier", () => {
  it("forwards a lone update's own bytes instead of re-encoding it; a batch of several is encoded once", () => {
    const { doc, applier } = setup();
    const a = client(1);
    const u1 = a.write("one");
    const one = applier.apply([{ conn: conn("a"), update: u1, exact: true }]);
    expect(one?.change).toBe(u1);
    const u2 = a.write("two");
    const u3 = a.write("three");
    const two = applier.apply([
      { conn: conn("a"), update: u2, exact: true },
      { conn: conn("b"), update: client(2).write("other"), exact: true },
      { conn: conn("a"), update: u3, exact: true },
    ]);
    expect([...(two?.senders.keys() ?? [])]).toEqual(["a", "b"]);
    // The one change holds the whole batch: a copy that had u1 becomes the room's document.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, u1);
    Y.applyUpdate(copy, two!.change!);
    expect(copy.getXmlFragment("default").toString()).toBe(doc.getXmlFragment("default").toString());
    expect(doc.getXmlFragment("default").length).toBe(4);
  });

  it("uses Yjs' own encoding when the bytes repeat what the document has, and nothing when they change nothing", () => {
    const { doc, applier } = setup();
    const a = client(1);
    const u1 = a.write("one");
    applier.apply([{ conn: conn("a"), update: u1, exact: true }]);
    expect(applier.apply([{ conn: conn("a"), update: u1, exact: true }])?.change).toBeNull();
    // A SyncStep2-like update: everything the client has, of which one paragraph is new.
    const u2 = a.write("two");
    const whole = Y.encodeStateAsUpdate(a.doc);
    const applied = applier.apply([{ conn: conn("a"), update: whole, exact: true }]);
    expect(applied?.change).not.toEqual(whole);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, u1);
    Y.applyUpdate(fresh, applied!.change!);
    expect(fresh.getXmlFragment("default").toString()).toBe(doc.getXmlFragment("default").toString());
    expect(applied!.change!.byteLength).toBeLessThan(whole.byteLength);
    expect(u2.byteLength).toBeGreaterThan(0);
    // A frame marked as not exact (a SyncStep2) is never forwarded as is.
    const u3 = a.write("three");
    expect(applier.apply([{ conn: conn("a"), update: u3, exact: false }])?.change).not.toBe(u3);
  });

  it("re-checks held updates only when a client they depend on advances", () => {
    const s = setup();
    const base = client(1);
    const dependent = client(2);
    const other = client(3);
    const u1 = base.write("base");
    dependent.receive(u1);
    const held = dependent.write("on top"); // refers to client 1, which the room lacks
    const first = s.applier.apply([{ conn: conn("d"), update: held, exact: true }]);
    expect(first?.change).toBeNull();
    expect(s.holding).toEqual(["d"]);
    expect(s.applier.held.size).toBe(1);
    // Twenty batches that touch neither client 1 nor client 2: the held update is not read again.
    const before = s.checks();
    for (let i = 0; i < 20; i++) {
      const applied = s.applier.apply([{ conn: conn("o"), update: other.write(`x${i}`), exact: true }]);
      expect(s.applier.retryHeld(applied!.advanced)).toEqual([]);
    }
    expect(s.checks() - before).toBe(20);
    // The base arrives: client 1 advances and the held update applies, in a round of its own.
    const applied = s.applier.apply([{ conn: conn("b"), update: u1, exact: true }]);
    const rounds = s.applier.retryHeld(applied!.advanced);
    expect(rounds).toHaveLength(1);
    expect(rounds![0]!.released.map((c) => c.id)).toEqual(["d"]);
    expect(s.applier.held.size).toBe(0);
    expect(s.doc.getXmlFragment("default").length).toBe(22);
  });

  it("keeps a sender's order: what it sends after a held update waits behind it", () => {
    const s = setup();
    const base = client(1);
    const dependent = client(2);
    const u1 = base.write("base");
    dependent.receive(u1);
    const h1 = dependent.write("one");
    const h2 = dependent.write("two");
    s.applier.apply([{ conn: conn("d"), update: h1, exact: true }]);
    s.applier.apply([{ conn: conn("d"), update: h2, exact: true }]);
    expect(s.applier.held.size).toBe(2);
    const applied = s.applier.apply([{ conn: conn("b"), update: u1, exact: true }]);
    const rounds = s.applier.retryHeld(applied!.advanced);
    expect(s.applier.held.size).toBe(0);
    expect(rounds?.flatMap((r) => r.released.map((c) => c.id))).toEqual(["d"]);
    expect(
      s.doc
        .getXmlFragment("default")
        .toArray()
        .map((p) => (p as Y.XmlElement).toString()),
    ).toEqual(["<paragraph>base</paragraph>", "<paragraph>one</paragraph>", "<paragraph>two</paragraph>"]);
  });
});
