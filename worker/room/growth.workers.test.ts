/**
 * A document's speed cannot be worn down (issue 22, item 2): every Yjs client id a
 * document holds makes every later edit cost more, so a connection may introduce only a
 * few and the document takes only so many from edit links; past either, the update is
 * refused whole (4507) before it touches the document. Honest sessions, reconnects and
 * offline replays stay within them. Each test fails on the code before the budgets
 * (which applied 60,000 client ids from one frame).
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CloseCode } from "../../shared/close-codes";
import { MAX_NEW_CLIENT_IDS_PER_CONNECTION, NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT } from "../../shared/limits";
import { docStub } from "../test-support/api";
import { roomOf } from "../test-support/room";
import { connect, createDoc, verdict } from "../test-support/client";
import { paragraphText } from "../test-support/ydoc";

let nextClient = 1_000_000;

/** One update with a one-character item from each of `n` client ids no document has. */
function fromClients(base: Y.Doc, n: number): Uint8Array {
  const d = new Y.Doc();
  Y.applyUpdate(d, Y.encodeStateAsUpdate(base));
  const sv = Y.encodeStateVector(d);
  const text = paragraphText(d, 0);
  d.transact(() => {
    for (let i = 0; i < n; i++) {
      d.clientID = nextClient++;
      text.insert(0, "x");
    }
  });
  return Y.encodeStateAsUpdate(d, sv);
}

async function clientIdsOf(id: string): Promise<number> {
  return runInDurableObject(docStub(id), (instance) => roomOf(instance).doc().store.clients.size);
}

describe("client ids", () => {
  it("a frame of a thousand new client ids is refused whole with 4507; the room keeps saving", async () => {
    const doc = await createDoc();
    const honest = await connect(doc.id, doc.editToken);
    honest.para().insert(0, "honest text");
    await honest.saved();
    const before = await clientIdsOf(doc.id);

    const attacker = await connect(doc.id, doc.editToken);
    expect(await verdict(attacker, fromClients(honest.doc, 1_000))).toBe(CloseCode.TooManyClientIds);
    expect(attacker.errors()).toContain("too-many-client-ids");
    // Nothing of it was applied, and everyone else carries on.
    expect(await clientIdsOf(doc.id)).toBe(before);
    honest.para().insert(0, "still ");
    await honest.saved();
    const reader = await connect(doc.id, doc.viewToken);
    await reader.until(() => reader.synced, "sync");
    expect(reader.text()).toBe("still honest text");
  }, 30_000);

  it("one connection may bring a few: a session plus an offline replay of older sessions", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.para().insert(0, "start");
    await a.saved();
    // What a browser replays from its offline copy: its older sessions' ids, then its own.
    // A browser names itself with its author key, so its next connection may go on
    // writing with this session's client id (a keyless client may not: 4423).
    const browser = { key: "browser-b-author-key-01" };
    const b = await connect(doc.id, doc.editToken, { author: browser });
    await b.until(() => b.synced, "sync");
    expect(await verdict(b, fromClients(a.doc, MAX_NEW_CLIENT_IDS_PER_CONNECTION - 1))).toBe("saved");
    b.para().insert(0, "own ");
    await b.saved();
    // One more is one too many for this connection…
    expect(await verdict(b, fromClients(a.doc, 1))).toBe(CloseCode.TooManyClientIds);
    // …and the same session reconnecting (its Y.Doc, its client id) brings none.
    b.close();
    await b.until(() => b.closed !== null, "closed");
    const sv = Y.encodeStateVector(b.doc);
    b.para().insert(0, "offline ");
    const again = await connect(doc.id, doc.editToken, { author: browser });
    expect(await verdict(again, Y.encodeStateAsUpdate(b.doc, sv))).toBe("saved");
  }, 30_000);

  it("the document takes a budget of new client ids per hour from edit links; the owner is never refused", async () => {
    const doc = await createDoc();
    const first = await connect(doc.id, doc.editToken);
    first.para().insert(0, "base");
    await first.saved();
    let taken = 1;
    while (taken + MAX_NEW_CLIENT_IDS_PER_CONNECTION <= NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT) {
      const p = await connect(doc.id, doc.editToken);
      expect(await verdict(p, fromClients(first.doc, MAX_NEW_CLIENT_IDS_PER_CONNECTION))).toBe("saved");
      p.close();
      taken += MAX_NEW_CLIENT_IDS_PER_CONNECTION;
    }
    const late = await connect(doc.id, doc.editToken);
    expect(await verdict(late, fromClients(first.doc, NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT - taken + 1))).toBe(CloseCode.TooManyClientIds);
    // An edit-link session already in the document keeps writing; the owner's new one too.
    first.para().insert(0, "more ");
    await first.saved();
    const owner = await connect(doc.id, doc.ownerToken);
    await owner.until(() => owner.synced, "sync");
    owner.para().insert(0, "owner ");
    await owner.saved();
  }, 60_000);
});
