/**
 * Storage inside workerd: compaction (also under concurrent edits and crashes),
 * chunking, the size guard, R2 snapshots on last-leave, and recovery from R2 alone.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { YDOC_META_MAP, YDOC_META_TITLE } from "../shared/api";
import { CloseCode } from "../shared/close-codes";
import { COMPACT_LOG_BYTES, FOLD_ON_LEAVE_LOG_ENTRIES, MAX_DOCUMENT_BYTES, STORAGE_CHUNK_BYTES, VERSION_IDLE_DELAY_MS } from "../shared/limits";
import type { Stats, Version } from "../shared/versions";
import type { Document } from "./Document";
import type { Compactor } from "./document/compactor";
import { hashToken } from "./document/auth";
import { DocStore } from "./document/store";
import { CODEC_V2_GZIP, gzip } from "./storage/codec";
import { connect, createDoc, type Peer } from "./test-support/client";
import { api, apiJson, appendParagraph, paragraphs, paragraphText } from "./test-support/content";

const stub = (id: string) => env.Document.getByName(id);

interface Internals {
  history: { compactor: Compactor };
  store: DocStore;
  document: Y.Doc;
}
const internals = (i: Document) => {
  const x = i as unknown as Internals;
  return { compactor: x.history.compactor, store: x.store, document: x.document };
};

/** Rebuilds the document from what is on disk, exactly as a cold DO would. */
function storedDoc(id: string): Promise<{ text: string; paragraphs: string[]; title: unknown }> {
  return runInDurableObject(stub(id), async (_i: Document, state) => {
    const doc = new Y.Doc();
    await new DocStore(state.storage).loadInto(doc);
    return { text: doc.getText("t").toString(), paragraphs: paragraphs(doc), title: doc.getMap(YDOC_META_MAP).get(YDOC_META_TITLE) };
  });
}

function tableCounts(id: string): Promise<{ updates: number; snapshot: number; maxChunk: number; upto: number; codec: unknown }> {
  return runInDurableObject(stub(id), (_i: Document, s) => {
    const sql = s.storage.sql;
    const meta = (k: string) => sql.exec("SELECT value FROM meta WHERE key = ?", k).toArray()[0]?.value ?? null;
    return {
      updates: Number(sql.exec("SELECT count(*) AS n FROM updates").one().n),
      snapshot: Number(sql.exec("SELECT count(*) AS n FROM snapshot").one().n),
      maxChunk: Number(sql.exec("SELECT coalesce(max(length(data)), 0) AS n FROM snapshot").one().n),
      upto: Number(meta("snapshot_upto") ?? 0),
      codec: meta("snapshot_codec"),
    };
  });
}

/** Restarts the DO as after a crash or eviction: memory gone, storage kept. */
async function restart(id: string): Promise<void> {
  await runInDurableObject(stub(id), (_i: Document, s) => s.abort("test: restart")).catch(() => {});
}

async function compactNow(id: string): Promise<void> {
  await runInDurableObject(stub(id), async (i: Document) => {
    await internals(i).compactor.idle();
    await internals(i).compactor.start(internals(i).document);
  });
}

/** Waits for the last-leave alarm (the first edit already set one VERSION_INTERVAL_MS
 * ahead; leaving pulls it in to VERSION_IDLE_DELAY_MS). */
async function waitForIdleAlarm(id: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const at = await runInDurableObject(stub(id), (_i: Document, s) => s.storage.getAlarm());
    if (at !== null && at <= Date.now() + VERSION_IDLE_DELAY_MS + 1000) return at;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("no last-leave alarm was scheduled");
}

function randomText(chars: number): string {
  const bytes = new Uint8Array(Math.ceil((chars * 3) / 4));
  for (let off = 0; off < bytes.length; off += 65536) crypto.getRandomValues(bytes.subarray(off, off + 65536));
  let bin = "";
  for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(bin).slice(0, chars);
}

describe("compaction", () => {
  it("loses nothing while two people keep typing through several compactions", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const b = await connect(doc.id, doc.editToken);
    const words = (p: Peer, i: number) => `${p === a ? "A" : "B"}${i}-${"x".repeat(1500)} `;
    // ~3 MiB in 2,000 inserts from both sides: the log passes
    // COMPACT_LOG_BYTES several times while frames keep arriving.
    for (let i = 0; i < 2000; i++) {
      const p = i % 2 === 0 ? a : b;
      const t = p.doc.getText("t");
      // At either end, so no insert splits another's marker.
      t.insert(Math.random() < 0.5 ? 0 : t.length, words(p, i));
      if (i % 250 === 249) await Promise.all([a.saved(), b.saved()]);
    }
    await Promise.all([a.saved(), b.saved()]);
    await a.until(() => a.text() === b.text() && a.text().length === b.doc.getText("t").length, "converged", 20_000);
    await b.until(() => b.text() === a.text(), "b converged", 20_000);
    await runInDurableObject(stub(doc.id), (i: Document) => internals(i).compactor.idle());
    const counts = await tableCounts(doc.id);
    expect(counts.codec).toBe(CODEC_V2_GZIP);
    expect(counts.upto).toBeGreaterThan(0);
    const stored = await storedDoc(doc.id);
    expect(stored.text.length).toBe(a.text().length);
    expect(stored.text).toBe(a.text());
    for (let i = 0; i < 2000; i++) expect(stored.text).toContain(`${i % 2 === 0 ? "A" : "B"}${i}-`);
    a.close();
    b.close();
  }, 120_000);

  it("folds the log when the last person leaves, so the next cold load applies one snapshot", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const t = a.doc.getText("t");
    for (let i = 0; i < FOLD_ON_LEAVE_LOG_ENTRIES + 10; i++) {
      t.insert(t.length, `${i} `);
      // One stored row per keystroke, as when typing by hand.
      if (i % 10 === 9) await a.saved();
    }
    await a.saved();
    expect((await tableCounts(doc.id)).updates).toBeGreaterThanOrEqual(FOLD_ON_LEAVE_LOG_ENTRIES);
    const text = a.text();
    a.close();
    // No alarm runs here: the fold starts in the close event itself.
    let counts = await tableCounts(doc.id);
    for (let i = 0; i < 100 && counts.updates > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      counts = await tableCounts(doc.id);
    }
    expect(counts.updates).toBe(0);
    expect(counts.snapshot).toBeGreaterThan(0);
    // The idle alarm still labels the version as made after editing, from those bytes.
    await waitForIdleAlarm(doc.id);
    expect(await runDurableObjectAlarm(stub(doc.id))).toBe(true);
    const versions = await apiJson<Version[]>(`/api/docs/${doc.id}/versions`, { token: doc.viewToken });
    expect(versions.map((v) => v.kind)).toEqual(["idle"]);
    await restart(doc.id);
    expect((await storedDoc(doc.id)).text).toBe(text);
  });

  it("keeps rows appended while the snapshot is being compressed", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.doc.getText("t").insert(0, "before");
    await a.saved();
    const result = await runInDurableObject(stub(doc.id), async (i: Document, s) => {
      const { compactor, store, document } = internals(i);
      const captured = store.seq;
      const running = compactor.start(document); // captures synchronously at `captured`
      document.getText("t").insert(6, " during", "test"); // appended with a higher id
      const afterEdit = store.seq;
      const done = await running;
      const ids = s.storage.sql.exec("SELECT id FROM updates ORDER BY id").toArray().map((r) => Number(r.id));
      return { captured, afterEdit, upto: done?.upto, ids };
    });
    expect(result.upto).toBe(result.captured);
    expect(result.afterEdit).toBeGreaterThan(result.captured);
    // Only the folded rows went; the one written during compression stayed.
    expect(result.ids).toEqual([result.afterEdit]);
    expect((await storedDoc(doc.id)).text).toBe("before during");
    await restart(doc.id);
    const b = await connect(doc.id, doc.editToken);
    await b.until(() => b.text() === "before during", "reload");
    a.close();
    b.close();
  });

  it("loses nothing when the DO crashes between snapshot write and log truncation", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    for (let i = 0; i < 50; i++) a.doc.getText("t").insert(i, String(i % 10));
    await a.saved();
    const expected = a.text();
    a.close();
    const before = await tableCounts(doc.id);
    expect(before.updates).toBeGreaterThan(0);
    const crashed = await runInDurableObject(stub(doc.id), async (i: Document, s) => {
      const { store, document } = internals(i);
      const cap = store.capture(document);
      const stored = await gzip(cap.state);
      store.commitSnapshot(
        { upto: cap.upto, rawBytes: cap.state.byteLength, stored, codec: CODEC_V2_GZIP },
        { afterSnapshotWrite: () => s.abort("test: crash mid-compaction") },
      );
      return "committed";
    }).catch((err: unknown) => String(err));
    expect(crashed).not.toBe("committed");
    // The transaction never committed: storage is exactly as before, and loads.
    expect(await tableCounts(doc.id)).toEqual(before);
    expect((await storedDoc(doc.id)).text).toBe(expected);
    const b = await connect(doc.id, doc.editToken);
    await b.until(() => b.text() === expected, "reload after crash");
    b.close();
  });

  it("loses nothing when the DO dies while a compaction is compressing", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.doc.getText("t").insert(0, "y".repeat(COMPACT_LOG_BYTES / 2));
    await a.saved();
    a.doc.getText("t").insert(0, "tail ");
    await a.saved();
    const expected = a.text();
    a.close();
    await runInDurableObject(stub(doc.id), (i: Document, s) => {
      void internals(i).compactor.start(internals(i).document);
      s.abort("test: die mid-compaction");
    }).catch(() => {});
    expect((await storedDoc(doc.id)).text).toBe(expected);
  });

  it("splits a snapshot over 2 MB into chunks below SQLite's row limit", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const parts = [randomText(900_000), randomText(900_000), randomText(900_000), randomText(400_000)];
    for (const p of parts) {
      appendParagraph(a.doc, p);
      await a.saved();
    }
    await compactNow(doc.id);
    const counts = await tableCounts(doc.id);
    expect(counts.snapshot).toBeGreaterThanOrEqual(5); // random text: ~2.4 MB compressed
    expect(counts.maxChunk).toBeLessThanOrEqual(STORAGE_CHUNK_BYTES);
    expect(counts.updates).toBe(0);
    await restart(doc.id);
    const b = await connect(doc.id, doc.editToken);
    await b.until(() => paragraphs(b.doc).length === parts.length, "reload", 20_000);
    expect(paragraphs(b.doc)).toEqual(parts);
    a.close();
    b.close();
  }, 60_000);
});

describe("document size guard", () => {
  it("refuses growth past MAX_DOCUMENT_BYTES with 4413 and keeps what is stored", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const frame = "a".repeat(1_000_000);
    let accepted = 0;
    for (let i = 0; i < Math.ceil(MAX_DOCUMENT_BYTES / frame.length) + 2 && a.closed === null; i++) {
      const t = paragraphText(a.doc, 0);
      t.insert(t.length, frame);
      try {
        await a.saved();
        if (a.closed === null) accepted = t.length;
      } catch {
        break;
      }
    }
    await a.until(() => a.closed !== null, "refusal", 20_000);
    expect(a.closed?.code).toBe(CloseCode.TooLarge);
    expect(a.errors()).toContain("document-too-large");
    expect(accepted).toBeGreaterThan(MAX_DOCUMENT_BYTES - 2 * frame.length);
    // Storage holds exactly what was accepted, and the document still opens.
    await runInDurableObject(stub(doc.id), (i: Document) => internals(i).compactor.idle());
    await restart(doc.id);
    const b = await connect(doc.id, doc.viewToken);
    await b.until(() => (paragraphs(b.doc)[0]?.length ?? 0) === accepted, "reload", 30_000);
    b.close();
  }, 180_000);
});

describe("R2 snapshots and recovery", () => {
  it("snapshots to R2 a few seconds after the last person leaves, then sets no more alarms", async () => {
    const doc = await createDoc("Idle");
    const a = await connect(doc.id, doc.editToken);
    a.doc.getXmlFragment("default"); // content shape as the editor writes it
    appendParagraph(a.doc, "left behind");
    await a.saved();
    a.close();
    const at = await waitForIdleAlarm(doc.id);
    expect(at).toBeGreaterThan(Date.now());
    expect((await tableCounts(doc.id)).updates).toBeGreaterThan(0);
    expect(await runDurableObjectAlarm(stub(doc.id))).toBe(true);
    const versions = await apiJson<Version[]>(`/api/docs/${doc.id}/versions`, { token: doc.viewToken });
    expect(versions.map((v) => v.kind)).toEqual(["idle"]);
    // The quiet room was also compacted: its next wake loads the snapshot alone.
    expect((await tableCounts(doc.id)).updates).toBe(0);
    expect((await storedDoc(doc.id)).paragraphs).toEqual(["left behind"]);
    const objects = await env.SNAPSHOTS.list({ prefix: `docs/${doc.id}/` });
    expect(objects.objects.map((o) => o.key.replace(`docs/${doc.id}/`, "")).sort()).toEqual([
      "meta.json",
      expect.stringMatching(new RegExp(`^snapshot-\\d{15}-${versions[0]!.id}\\.bin$`)),
    ]);
    // Nothing changed since: no alarm, and running one would make no version.
    expect(await runInDurableObject(stub(doc.id), (_i: Document, s) => s.storage.getAlarm())).toBeNull();
    const b = await connect(doc.id, doc.editToken);
    b.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(await runInDurableObject(stub(doc.id), (_i: Document, s) => s.storage.getAlarm())).toBeNull();
  });

  it("rebuilds a document from R2 after its SQLite is deleted", async () => {
    const doc = await createDoc("Recover me");
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "first");
    await a.saved();
    await apiJson(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "one" } });
    appendParagraph(a.doc, "second");
    await a.saved();
    a.close();
    await waitForIdleAlarm(doc.id);
    await runDurableObjectAlarm(stub(doc.id));

    await runInDurableObject(stub(doc.id), async (_i: Document, s) => {
      await s.storage.deleteAll();
      const tables = s.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray();
      expect(tables).toEqual([]);
    });
    await restart(doc.id);

    const b = await connect(doc.id, doc.editToken);
    await b.until(() => paragraphs(b.doc).length === 2, "recovered content");
    expect(paragraphs(b.doc)).toEqual(["first", "second"]);
    expect(b.doc.getMap(YDOC_META_MAP).get(YDOC_META_TITLE)).toBe("Recover me");
    // Tokens, versions and the update sequence came back too.
    const versions = await apiJson<Version[]>(`/api/docs/${doc.id}/versions`, { token: doc.viewToken });
    expect(versions.map((v) => v.name ?? v.kind)).toEqual(["idle", "one"]);
    expect((await api(`/api/docs/${doc.id}/versions`, { token: "z".repeat(43) })).status).toBe(403);
    appendParagraph(b.doc, "third");
    await b.saved();
    b.close();
    await restart(doc.id);
    expect((await storedDoc(doc.id)).paragraphs).toEqual(["first", "second", "third"]);
  });

  it("falls back to the previous snapshot when the newest one in R2 is damaged", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "good");
    await a.saved();
    await apiJson(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "good" } });
    appendParagraph(a.doc, "lost with the damaged snapshot");
    await a.saved();
    const bad = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "bad" } });
    a.close();
    const key = (await env.SNAPSHOTS.list({ prefix: `docs/${doc.id}/snapshot-` })).objects.find((o) => o.key.includes(bad.id))!.key;
    const obj = await env.SNAPSHOTS.head(key);
    await env.SNAPSHOTS.put(key, new Uint8Array([31, 139, 8, 0, 1, 2, 3, 4]), { customMetadata: obj!.customMetadata });
    await runInDurableObject(stub(doc.id), (_i: Document, s) => s.storage.deleteAll());
    await restart(doc.id);
    const b = await connect(doc.id, doc.editToken);
    await b.until(() => paragraphs(b.doc).length === 1, "recovered older content");
    expect(paragraphs(b.doc)).toEqual(["good"]);
    const versions = await apiJson<Version[]>(`/api/docs/${doc.id}/versions`, { token: doc.viewToken });
    expect(versions.map((v) => v.name)).toEqual(["good"]);
    b.close();
  });

  it("carries a rotated link into R2, so a recovery does not bring the old link back", async () => {
    const doc = await createDoc();
    // Reset the view link through the owner's API.
    const { token: fresh } = await apiJson<{ token: string }>(`/api/docs/${doc.id}/links/view/rotate`, {
      token: doc.ownerToken,
      method: "POST",
    });
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "after rotation");
    await a.saved();
    await apiJson(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "v" } });
    a.close();
    const meta = JSON.parse(await (await env.SNAPSHOTS.get(`docs/${doc.id}/meta.json`))!.text()) as { tokenHashes: { view: string } };
    expect(meta.tokenHashes.view).toBe(await hashToken(fresh));
    await runInDurableObject(stub(doc.id), (_i: Document, s) => s.storage.deleteAll());
    await restart(doc.id);
    expect((await api(`/api/docs/${doc.id}/versions`, { token: doc.viewToken })).status).toBe(403);
    expect((await api(`/api/docs/${doc.id}/versions`, { token: fresh })).status).toBe(200);
  });

  it("recovers a document that never had a snapshot from its meta.json (title, tokens)", async () => {
    const doc = await createDoc("Only meta");
    await runInDurableObject(stub(doc.id), (_i: Document, s) => s.storage.deleteAll());
    await restart(doc.id);
    const b = await connect(doc.id, doc.viewToken);
    await b.until(() => b.doc.getMap(YDOC_META_MAP).get(YDOC_META_TITLE) === "Only meta", "title");
    b.close();
  });
});

describe("stats", () => {
  it("reports storage figures to edit tokens only", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    for (let i = 0; i < 10; i++) a.doc.getText("t").insert(0, "z");
    await a.saved();
    const stats = await apiJson<Stats>(`/api/docs/${doc.id}/stats`, { token: doc.editToken });
    expect(stats.connections).toBe(1);
    expect(stats.logEntries).toBeGreaterThan(0);
    expect(stats.updatesPerMinute).toBeGreaterThanOrEqual(10);
    expect(stats.bytesStored).toBeGreaterThan(0);
    expect(stats.versions).toBe(0);
    expect((await api(`/api/docs/${doc.id}/stats`, { token: doc.viewToken })).status).toBe(403);
    expect((await api(`/api/docs/${doc.id}/stats`)).status).toBe(401);
    a.close();
  });
});
