/**
 * Deleting documents and resetting links while people type: nothing accepted is lost,
 * nothing is left half-deleted, and an interrupted delete finishes by itself.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/close-codes";
import type { Document } from "../Document";
import { docPhase } from "./lifecycle";
import { DocStore } from "./store";
import { api, docStub, r2Keys, sqliteTables } from "../test-support/api";
import { allText } from "../test-support/ydoc";
import { connect, createDoc, type Peer } from "../test-support/client";
import { roomOf } from "../test-support/room";

async function putObjects(prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => env.SNAPSHOTS.put(`${prefix}${i + j}`, `snapshot ${i + j}`)));
  }
}

/** Rebuilds the document from storage alone, as a cold Durable Object would. */
function storedText(id: string): Promise<string> {
  return runInDurableObject(docStub(id), async (_i: Document, state) => {
    const doc = new Y.Doc();
    await new DocStore(state.storage).loadInto(doc);
    return allText(doc);
  });
}

/** Types unique chunks until told to stop; remembers which ones the server acknowledged. */
function typist(peer: Peer, name: string) {
  const acked: string[] = [];
  let stop = false;
  const done = (async () => {
    for (let i = 0; !stop && peer.closed === null; i++) {
      const chunk = `<${name}:${i}>`;
      const t = peer.para();
      t.insert(t.length, chunk);
      if (i % 5 === 4) {
        const pending = t.toString();
        try {
          await peer.saved();
        } catch {
          break; // closed before the ack: those chunks were never acknowledged
        }
        for (const c of pending.match(new RegExp(`<${name}:\\d+>`, "g")) ?? []) if (!acked.includes(c)) acked.push(c);
      } else {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  })();
  return { acked, stop: () => (stop = true), done };
}

describe("DELETE /api/docs/<id>", () => {
  it("is for the owner only", async () => {
    const doc = await createDoc();
    expect((await api("DELETE", `/api/docs/${doc.id}`, doc.editToken)).status).toBe(403);
    expect((await api("DELETE", `/api/docs/${doc.id}`, doc.viewToken)).status).toBe(403);
    expect((await api("DELETE", `/api/docs/${doc.id}`, null)).status).toBe(401);
    expect((await api("GET", `/api/docs/${doc.id}`, doc.viewToken)).status).toBe(200);
  });

  it("removes SQLite and every R2 object under docs/<id>/, closes sockets with 4410, then answers 410", async () => {
    const doc = await createDoc("Doomed");
    const neighbour = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    const viewer = await connect(doc.id, doc.viewToken);
    editor.para().insert(0, "content that must go");
    await editor.saved();
    // Whatever the storage code keeps there, and more than one list page of it.
    await putObjects(`docs/${doc.id}/snapshots/`, 1001);
    await env.SNAPSHOTS.put(`docs/${doc.id}/meta.json`, "{}");
    await env.SNAPSHOTS.put(`docs/${neighbour.id}/keep`, "not mine");
    await env.SNAPSHOTS.put(`docs/${doc.id}-lookalike/keep`, "not mine either");
    expect((await sqliteTables(doc.id)).updates).toBeGreaterThan(0);

    const res = await api("DELETE", `/api/docs/${doc.id}`, doc.ownerToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: doc.id, deleted: true, cleanup: "done" });
    for (const p of [editor, viewer]) {
      await p.until(() => p.closed !== null, "closed", 1000);
      expect(p.closed).toEqual({ code: CloseCode.Gone, reason: "document deleted" });
    }

    expect(await r2Keys(`docs/${doc.id}/`)).toEqual([]);
    // The neighbour keeps everything of its own (its own meta.json included).
    expect(await r2Keys(`docs/${neighbour.id}/`)).toEqual([`docs/${neighbour.id}/keep`, `docs/${neighbour.id}/meta.json`]);
    expect(await r2Keys(`docs/${doc.id}-lookalike/`)).toHaveLength(1);
    // Only the tombstone is left: no log, no snapshot, no token hashes, no KV.
    expect(await sqliteTables(doc.id)).toEqual({ meta: 1 });
    const leftovers = await runInDurableObject(docStub(doc.id), async (_i: Document, state) => ({
      meta: state.storage.sql
        .exec("SELECT key FROM meta")
        .toArray()
        .map((r) => r.key),
      kv: [...(await state.storage.list()).keys()],
      phase: docPhase(state.storage),
    }));
    expect(leftovers).toEqual({ meta: ["deleted_at"], kv: [], phase: "deleted" });

    // Later requests: 410, with any token, and nothing is re-created.
    for (const token of [doc.ownerToken, doc.editToken, doc.viewToken]) {
      expect((await api("GET", `/api/docs/${doc.id}`, token)).status).toBe(410);
    }
    expect((await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { title: "back?" })).status).toBe(410);
    expect((await api("DELETE", `/api/docs/${doc.id}`, doc.ownerToken)).status).toBe(410);
    expect((await api("PUT", `/api/docs/${doc.id}/content`, doc.editToken, { markdown: "x", mode: "append" })).status).toBe(410);
    expect((await api("GET", `/api/docs/${doc.id}/export?format=md`, doc.viewToken)).status).toBe(410);
    const late = await connect(doc.id, doc.editToken, { sync: false });
    await late.until(() => late.closed !== null, "refused");
    expect(late.closed?.code).toBe(CloseCode.Gone);
    expect(late.binary).toEqual([]);
    expect(await sqliteTables(doc.id)).toEqual({ meta: 1 });
    // The neighbour is untouched.
    expect((await api("GET", `/api/docs/${neighbour.id}`, neighbour.viewToken)).status).toBe(200);
  }, 60_000);

  it("sweeps R2 once more from an alarm for uploads that landed after the delete", async () => {
    const doc = await createDoc();
    expect((await api("DELETE", `/api/docs/${doc.id}`, doc.ownerToken)).status).toBe(200);
    await env.SNAPSHOTS.put(`docs/${doc.id}/late-upload`, "in flight during the delete");
    expect(await runDurableObjectAlarm(docStub(doc.id))).toBe(true);
    expect(await r2Keys(`docs/${doc.id}/`)).toEqual([]);
    expect((await api("GET", `/api/docs/${doc.id}`, doc.ownerToken)).status).toBe(410);
  });

  it("finishes a delete that was interrupted after its first step (alarm or next request)", async () => {
    for (const resume of ["alarm", "request"] as const) {
      const doc = await createDoc();
      const a = await connect(doc.id, doc.editToken);
      a.para().insert(0, "half");
      await a.saved();
      await env.SNAPSHOTS.put(`docs/${doc.id}/s1`, "x");
      // Step 1 only, then the instance dies (as in a crash mid-delete).
      await runInDurableObject(docStub(doc.id), (instance: Document) => {
        roomOf(instance).lifecycle.begin();
      });
      await a.until(() => a.closed !== null, "closed by step 1");
      await runInDurableObject(docStub(doc.id), (_i: Document, s) => s.abort("test: crash mid-delete")).catch(() => {});

      const phase = await runInDurableObject(docStub(doc.id), (_i: Document, s) => docPhase(s.storage));
      expect(phase).toBe("deleting");
      if (resume === "alarm") {
        expect(await runDurableObjectAlarm(docStub(doc.id))).toBe(true);
      } else {
        // The next request answers 410 at once and finishes the job in the background.
        expect((await api("GET", `/api/docs/${doc.id}`, doc.viewToken)).status).toBe(410);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await r2Keys(`docs/${doc.id}/`)).toEqual([]);
      expect(await sqliteTables(doc.id)).toEqual({ meta: 1 });
      expect(await runInDurableObject(docStub(doc.id), (_i: Document, s) => docPhase(s.storage))).toBe("deleted");
    }
  });

  it("during heavy editing: every writer is cut with 4410 and nothing is left", async () => {
    const doc = await createDoc();
    const peers = await Promise.all([0, 1, 2].map(() => connect(doc.id, doc.editToken)));
    const typists = peers.map((p, i) => typist(p, `w${i}`));
    await new Promise((r) => setTimeout(r, 300));
    await env.SNAPSHOTS.put(`docs/${doc.id}/snap`, "x");
    const res = await api("DELETE", `/api/docs/${doc.id}`, doc.ownerToken);
    expect(res.status).toBe(200);
    for (const p of peers) await p.until(() => p.closed !== null, "cut", 2000);
    await Promise.all(typists.map((t) => t.done));
    expect(peers.map((p) => p.closed?.code)).toEqual([CloseCode.Gone, CloseCode.Gone, CloseCode.Gone]);
    expect(typists.every((t) => t.acked.length > 0)).toBe(true);
    expect(await sqliteTables(doc.id)).toEqual({ meta: 1 });
    expect(await r2Keys(`docs/${doc.id}/`)).toEqual([]);
  });
});

describe("link resets during heavy editing", () => {
  it("lose no acknowledged update and cut exactly the reset link's writers", async () => {
    const doc = await createDoc();
    const owner = await connect(doc.id, doc.ownerToken);
    const editors = await Promise.all([0, 1, 2].map(() => connect(doc.id, doc.editToken)));
    const typists = editors.map((p, i) => typist(p, `e${i}`));
    const ownerTypist = typist(owner, "owner");
    await new Promise((r) => setTimeout(r, 300));

    // Reset several times in a row, as an owner clicking fast would.
    const first = await api("POST", `/api/docs/${doc.id}/links/edit/rotate`, doc.ownerToken);
    expect(first.status).toBe(200);
    for (let i = 0; i < 4; i++) {
      expect((await api("POST", `/api/docs/${doc.id}/links/edit/rotate`, doc.ownerToken)).status).toBe(200);
    }
    for (const e of editors) await e.until(() => e.closed !== null, "editor cut", 1000);
    await Promise.all(typists.map((t) => t.done));
    ownerTypist.stop();
    await ownerTypist.done;
    await owner.saved();
    expect(owner.closed).toBeNull();
    expect(editors.map((e) => e.closed?.code)).toEqual([CloseCode.Forbidden, CloseCode.Forbidden, CloseCode.Forbidden]);

    const stored = await storedText(doc.id);
    expect(stored).toBe(owner.text());
    for (const t of [...typists, ownerTypist]) {
      expect(t.acked.length).toBeGreaterThan(0);
      for (const chunk of t.acked) expect(stored).toContain(chunk);
    }
    owner.close();
  });
});
