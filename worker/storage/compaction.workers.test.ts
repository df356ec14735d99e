/**
 * Compaction inside workerd: folding the log under concurrent edits and crashes, on
 * last leave, and chunking of large snapshots.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { COMPACT_LOG_BYTES, FOLD_ON_LEAVE_LOG_ENTRIES, STORAGE_CHUNK_BYTES } from "../../shared/limits";
import type { Version } from "../../shared/versions";
import type { Document } from "../Document";
import { CODEC_V2_GZIP, gzip } from "./codec";
import { roomOf } from "../test-support/room";
import { paragraphText } from "../test-support/ydoc";
import { connect, createDoc, type Peer } from "../test-support/client";
import { apiJson, appendParagraph, paragraphs } from "../test-support/content";
import { compactNow, internals, randomText, restart, storedDoc, stub, tableCounts, waitForIdleAlarm } from "../test-support/storage";

describe("compaction", () => {
  it("loses nothing while two people keep typing through several compactions", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    const b = await connect(doc.id, doc.editToken);
    const words = (p: Peer, i: number) => `${p === a ? "A" : "B"}${i}-${"x".repeat(400)} `;
    // ~0.8 MB in 2,000 inserts from both sides (within MAX_DOCUMENT_BYTES): the log
    // passes COMPACT_LOG_BYTES several times while frames keep arriving.
    for (let i = 0; i < 2000; i++) {
      const p = i % 2 === 0 ? a : b;
      const t = p.para();
      // At either end, so no insert splits another's marker.
      t.insert(Math.random() < 0.5 ? 0 : t.length, words(p, i));
      if (i % 250 === 249) await Promise.all([a.saved(), b.saved()]);
    }
    await Promise.all([a.saved(), b.saved()]);
    await a.until(() => a.text() === b.text() && a.text().length > 2000 * 400, "converged", 20_000);
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
    const t = a.para();
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
    a.para().insert(0, "before");
    await a.saved();
    const result = await runInDurableObject(stub(doc.id), async (i: Document, s) => {
      const { compactor, store, document } = internals(i);
      const captured = store.seq;
      const running = compactor.start(document); // captures synchronously at `captured`
      roomOf(i).serverChange(() => paragraphText(document, 0).insert(6, " during"), "test"); // appended with a higher id
      const afterEdit = store.seq;
      const done = await running;
      const ids = s.storage.sql
        .exec("SELECT id FROM updates ORDER BY id")
        .toArray()
        .map((r) => Number(r.id));
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
    for (let i = 0; i < 50; i++) a.para().insert(i, String(i % 10));
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
    a.para().insert(0, "y".repeat(COMPACT_LOG_BYTES / 2));
    await a.saved();
    a.para().insert(0, "tail ");
    await a.saved();
    const expected = a.text();
    a.close();
    await runInDurableObject(stub(doc.id), (i: Document, s) => {
      void internals(i).compactor.start(internals(i).document);
      s.abort("test: die mid-compaction");
    }).catch(() => {});
    expect((await storedDoc(doc.id)).text).toBe(expected);
  });

  it("splits a snapshot over STORAGE_CHUNK_BYTES into chunks below SQLite's row limit", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    // As large as MAX_DOCUMENT_BYTES allows; before it was 1 MiB, snapshots of 2.4 MB.
    const parts = [randomText(300_000), randomText(300_000), randomText(300_000), randomText(50_000)];
    for (const p of parts) {
      appendParagraph(a.doc, p);
      await a.saved();
    }
    await compactNow(doc.id);
    const counts = await tableCounts(doc.id);
    expect(counts.snapshot).toBeGreaterThanOrEqual(2); // random text barely compresses
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
