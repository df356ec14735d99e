import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { dependencies, PendingUpdates } from "./pending";

const conn = (id: string) => ({ id });

/** An update of client `client` that builds on what `base` wrote. */
function edits(base: Y.Doc, client: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  doc.getText("t").insert(doc.getText("t").length, "x");
  return Y.encodeStateAsUpdate(doc, before);
}

describe("PendingUpdates", () => {
  it("reads the Yjs clients an update refers to: its own and those it builds on", () => {
    const base = new Y.Doc();
    base.clientID = 1;
    base.getText("t").insert(0, "a");
    expect([...dependencies(edits(base, 2))].sort()).toEqual([1, 2]);
    expect([...dependencies(new Uint8Array([1, 2, 3]))]).toEqual([]);
  });

  it("is unblocked only by a client that a sender's first held update refers to", () => {
    const base = new Y.Doc();
    base.clientID = 1;
    base.getText("t").insert(0, "a");
    const held = new PendingUpdates<{ id: string }>();
    expect(held.hold(conn("a"), edits(base, 2))).toBeNull();
    expect(held.unblockedBy(new Set([3]))).toBe(false);
    expect(held.unblockedBy(new Set())).toBe(false);
    expect(held.unblockedBy(new Set([1]))).toBe(true);
    // A second update of the same sender waits behind the first, whatever it refers to.
    expect(held.hold(conn("a"), edits(new Y.Doc(), 5))).toBeNull();
    expect(held.unblockedBy(new Set([5]))).toBe(false);
  });

  it("keeps its bounds and order when updates are taken out and held again", () => {
    const held = new PendingUpdates<{ id: string }>();
    held.hold(conn("a"), new Uint8Array(10), 0, new Set([1]));
    held.hold(conn("b"), new Uint8Array(5), 0, new Set([2]));
    const all = held.takeAll();
    expect(held.bytes).toBe(0);
    for (const h of all) held.rehold(h);
    expect(held.bytes).toBe(15);
    expect(held.has(conn("a"))).toBe(true);
    expect(held.drop(conn("a")).map((h) => h.update.byteLength)).toEqual([10]);
    expect(held.bytes).toBe(5);
  });
});
