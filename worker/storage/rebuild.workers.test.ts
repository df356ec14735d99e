/**
 * "Rebuild from this version" inside workerd: a worn-down document (thousands of Yjs
 * client ids, tombstones) gets a fresh CRDT state made from a version's content. Its
 * state shrinks, its content, comment anchors and images stay, the old client ids are
 * gone, the epoch moves on, and a client with a copy from before is refused before it
 * can sync it back.
 */
import { env, runInDurableObject } from "cloudflare:test";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { CloseCode } from "../../shared/close-codes";
import type { Thread } from "../../shared/comments";
import type { RebuildResponse, Version } from "../../shared/versions";
import type { Document } from "../Document";
import { roomOf } from "../test-support/room";
import { connect, createDoc } from "../test-support/client";
import { api, apiJson, appendParagraph, paragraphs } from "../test-support/content";
import { DocStore } from "./store";

const stub = (id: string) => env.Document.getByName(id);

/** What is on disk, loaded as a cold Durable Object would. */
function stored(id: string): Promise<{ bytes: number; clients: number; paragraphs: string[]; update: Uint8Array }> {
  return runInDurableObject(stub(id), async (_i: Document, state) => {
    const doc = new Y.Doc();
    await new DocStore(state.storage).loadInto(doc);
    const update = Y.encodeStateAsUpdateV2(doc);
    return { bytes: update.byteLength, clients: doc.store.clients.size, paragraphs: paragraphs(doc), update };
  });
}

/** A document worn down by many writers: each of `n` Yjs clients types a word into a
 * paragraph and deletes it again. Applied inside the room (as if it had got there
 * before any per-connection bound on client ids), then stored like any change. */
async function wornDown(n: number) {
  const doc = await createDoc("Worn");
  const a = await connect(doc.id, doc.editToken);
  appendParagraph(a.doc, "Keep this sentence.");
  await a.saved();
  const base = Y.encodeStateAsUpdate(a.doc);
  const updates: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const w = new Y.Doc();
    Y.applyUpdate(w, base);
    const before = Y.encodeStateVector(w);
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(`noise ${i}`)]);
    w.getXmlFragment(YDOC_CONTENT_FIELD).push([p]);
    w.getXmlFragment(YDOC_CONTENT_FIELD).delete(1, 1);
    updates.push(Y.encodeStateAsUpdate(w, before));
  }
  const merged = Y.mergeUpdates(updates);
  await runInDurableObject(stub(doc.id), (i: Document) => {
    const room = roomOf(i);
    room.serverChange(() => Y.applyUpdate(room.doc(), merged));
  });
  await a.until(() => a.doc.store.clients.size > n, "worn-down state");
  return { doc, a };
}

describe("rebuild from a version", () => {
  it("gives a worn-down document a fresh state with the same content, anchors and images", async () => {
    const { doc, a } = await wornDown(1500);
    // An image and a comment anchor, as the editor writes them.
    const img = new Y.XmlElement("image");
    img.setAttribute("src", "https://example.com/cat.png");
    img.setAttribute("alt", "a cat");
    a.doc.getXmlFragment(YDOC_CONTENT_FIELD).push([img]);
    await a.saved();
    const thread = await apiJson<Thread>(`/api/docs/${doc.id}/threads`, {
      token: doc.commentToken,
      body: { quote: "this sentence", body: "Is this right?", author: "Cleo" },
    });
    await a.saved();
    const version = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.ownerToken, body: { name: "clean" } });
    const before = await stored(doc.id);
    expect(before.clients).toBeGreaterThan(1000);

    // Only the owner may rebuild.
    for (const token of [doc.editToken, doc.commentToken, doc.viewToken]) {
      expect((await api(`/api/docs/${doc.id}/versions/${version.id}/rebuild`, { token, method: "POST" })).status).toBe(403);
    }
    const res = await apiJson<RebuildResponse>(`/api/docs/${doc.id}/versions/${version.id}/rebuild`, {
      token: doc.ownerToken,
      method: "POST",
    });
    expect(res.epoch).toBe(1);
    expect(res.checkpoint?.kind).toBe("before-rebuild");
    expect(res.version?.kind).toBe("rebuilt");
    // The connected client was cut so it reconnects (and then learns the epoch).
    await a.until(() => a.closed !== null, "cut");
    expect(a.closed?.code).toBe(CloseCode.Unavailable);

    const after = await stored(doc.id);
    console.log(
      `rebuild: state ${before.bytes} → ${after.bytes} bytes, client ids ${before.clients} → ${after.clients} (response: ${res.bytesBefore} → ${res.bytes})`,
    );
    expect(after.bytes).toBeLessThan(before.bytes / 10);
    expect(after.clients).toBe(1);
    expect(after.paragraphs).toEqual(before.paragraphs);
    const oldClients = new Set(Y.decodeUpdateV2(before.update).structs.map((s) => s.id.client));
    expect(Y.decodeUpdateV2(after.update).structs.some((s) => oldClients.has(s.id.client))).toBe(false);

    // Anchors and images came along: the thread still reads its quote, the image is there.
    const fresh = await connect(doc.id, doc.viewToken, { epoch: 1 });
    await fresh.until(() => fresh.synced, "synced");
    const json = JSON.stringify(fresh.doc.getXmlFragment(YDOC_CONTENT_FIELD).toJSON());
    expect(json).toContain("cat.png");
    expect(json).toContain(thread.id); // the comment mark, on the text it was on
    const threads = await apiJson<{ threads: Thread[] }>(`/api/docs/${doc.id}/threads`, { token: doc.viewToken });
    const found = threads.threads.find((t) => t.id === thread.id)!;
    expect(found.status).toBe("open");
    expect(found.quote).toBe("this sentence");
    expect(fresh.messages.find((m) => m.type === "welcome")).toMatchObject({ epoch: 1 });
    // The state before is a version: nothing was lost.
    const md = await api(`/api/docs/${doc.id}/versions/${res.checkpoint!.id}?format=txt`, { token: doc.viewToken });
    expect(await md.text()).toContain("Keep this sentence.");
    fresh.close();
  }, 60_000);

  it("refuses a client whose copy is from before, before it can sync it back", async () => {
    const { doc, a } = await wornDown(50);
    const version = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.ownerToken, body: { name: "v" } });
    // An old copy with a change the server never saw.
    const old = new Y.Doc();
    Y.applyUpdate(old, Y.encodeStateAsUpdate(a.doc));
    appendParagraph(old, "typed offline before the rebuild");
    a.close();
    await apiJson(`/api/docs/${doc.id}/versions/${version.id}/rebuild`, { token: doc.ownerToken, method: "POST" });

    // Reconnecting as an old client (no epoch, or epoch 0): welcomed with the epoch and
    // closed 4205; its sync step 1 and its update are never applied.
    for (const epoch of [undefined, 0]) {
      const peer = await connect(doc.id, doc.editToken, { epoch });
      Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(old)); // sent as an update at once
      await peer.until(() => peer.closed !== null, "closed");
      expect(peer.closed?.code).toBe(CloseCode.Rebuilt);
      expect(peer.messages.find((m) => m.type === "welcome")).toMatchObject({ epoch: 1 });
      expect(peer.synced).toBe(false);
    }
    const after = await stored(doc.id);
    expect(after.clients).toBe(1);
    expect(after.paragraphs).not.toContain("typed offline before the rebuild");

    // A client of the new epoch syncs and writes as usual.
    const now = await connect(doc.id, doc.editToken, { epoch: 1 });
    await now.until(() => now.synced, "synced");
    appendParagraph(now.doc, "after the rebuild");
    await now.saved();
    expect((await stored(doc.id)).paragraphs).toContain("after the rebuild");
    now.close();
  }, 60_000);

  it("is rate limited with restores, and answers 404 for a version that is gone", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "x");
    await a.saved();
    a.close();
    const v = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.ownerToken, body: { name: "v" } });
    expect((await api(`/api/docs/${doc.id}/versions/AAAAAAAAAAAAAAAAAAAA/rebuild`, { token: doc.ownerToken, method: "POST" })).status).toBe(
      404,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await api(`/api/docs/${doc.id}/versions/${v.id}/rebuild`, { token: doc.ownerToken, method: "POST" })).status);
    }
    expect(statuses.slice(0, 6).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  }, 60_000);
});
