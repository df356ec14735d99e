/**
 * The file sweep in a real Durable Object: a file nothing references is deleted once
 * it has been unreferenced for the grace period; a file in the document is kept; a
 * file only a kept version mentions is kept until that version goes; and the sweep
 * runs on the document's own alarm.
 */
import { SELF, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { uploadFileResponseSchema } from "../../shared/files";
import { FILE_ORPHAN_GRACE_MS } from "../../shared/limits";
import type { Document } from "../Document";
import { VersionIndex } from "../storage/version-index";
import { docStub, r2Keys } from "../test-support/api";
import { createDoc, ORIGIN } from "../test-support/client";
import { api } from "../test-support/content";
import { png } from "../test-support/images";
import type { DocFiles } from "./doc-files";
import type { SweepResult } from "./sweep";

async function upload(id: string, token: string): Promise<{ id: string; url: string }> {
  const res = await SELF.fetch(`${ORIGIN}/api/docs/${id}/files`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "image/png" },
    body: png(4, 4),
  });
  expect(res.status).toBe(201);
  return uploadFileResponseSchema.parse(await res.json());
}

async function setContent(id: string, token: string, markdown: string): Promise<void> {
  const res = await api(`/api/docs/${id}/content`, { token, method: "PUT", body: { markdown, mode: "replace" } });
  expect(res.status).toBe(200);
}

const sweep = (id: string, now: number): Promise<SweepResult | null> =>
  runInDurableObject(docStub(id), (i: Document) => (i as unknown as { files: DocFiles }).files.afterAlarm(now));

const fileKeys = async (id: string) => (await r2Keys(`docs/${id}/files/`)).map((k) => k.split("/").pop()).sort();

describe("file sweep", () => {
  it("deletes a file nothing references after the grace period, keeps one in the document and one only a kept version mentions", async () => {
    const doc = await createDoc();
    const inDoc = await upload(doc.id, doc.editToken);
    const inVersion = await upload(doc.id, doc.editToken);
    const never = await upload(doc.id, doc.editToken);

    await setContent(doc.id, doc.editToken, `Both\n\n![kept](${inDoc.url})\n\n![only in a version](${inVersion.url})`);
    const named = await api(`/api/docs/${doc.id}/versions`, { token: doc.editToken, method: "POST", body: { name: "with both images" } });
    expect(named.status).toBe(201);
    const versionId = ((await named.json()) as { id: string }).id;
    // The link to a file counts as a reference as much as an image does.
    await setContent(doc.id, doc.editToken, `Now only one image\n\n![kept](${inDoc.url})`);

    const t0 = Date.now();
    const first = await sweep(doc.id, t0);
    expect(first).toMatchObject({ files: 3, inUse: 1, waiting: 2, deleted: [] });
    // Still within the grace period: nothing goes, however often it sweeps.
    expect((await sweep(doc.id, t0 + FILE_ORPHAN_GRACE_MS - 1))?.deleted).toEqual([]);
    expect(await fileKeys(doc.id)).toEqual([inDoc.id, inVersion.id, never.id].sort());

    const second = await sweep(doc.id, t0 + FILE_ORPHAN_GRACE_MS);
    expect(second?.deleted).toEqual([never.id]);
    expect(second?.versionsRead).toBe(1);
    expect(await fileKeys(doc.id)).toEqual([inDoc.id, inVersion.id].sort());

    // A version is read once: the next sweep uses the kept answer.
    expect((await sweep(doc.id, t0 + FILE_ORPHAN_GRACE_MS + 1))?.versionsRead).toBe(0);

    // Once no kept version mentions it (thinned away), the file goes too.
    await runInDurableObject(docStub(doc.id), async (_i: Document, state) => {
      const index = new VersionIndex(state.storage.sql);
      const row = index.get(versionId)!;
      await env.SNAPSHOTS.delete(row.r2Key);
      index.delete([versionId]);
    });
    expect((await sweep(doc.id, t0 + FILE_ORPHAN_GRACE_MS + 2))?.deleted).toEqual([inVersion.id]);
    expect(await fileKeys(doc.id)).toEqual([inDoc.id]);
  });

  it("keeps a file referenced again before the grace ran out, and forgets that it was ever unreferenced", async () => {
    const doc = await createDoc();
    const file = await upload(doc.id, doc.editToken);
    const t0 = Date.now();
    expect((await sweep(doc.id, t0))?.waiting).toBe(1);
    await setContent(doc.id, doc.editToken, `[a link to it](${file.url})`);
    expect((await sweep(doc.id, t0 + 1))?.inUse).toBe(1);
    await setContent(doc.id, doc.editToken, "gone again");
    // The clock starts again from the sweep that saw it unreferenced anew.
    expect((await sweep(doc.id, t0 + FILE_ORPHAN_GRACE_MS))?.deleted).toEqual([]);
    expect((await sweep(doc.id, t0 + 2 * FILE_ORPHAN_GRACE_MS))?.deleted).toEqual([file.id]);
  });

  it("runs on the document's alarm", async () => {
    const doc = await createDoc();
    const kept = await upload(doc.id, doc.editToken);
    const orphan = await upload(doc.id, doc.editToken);
    await setContent(doc.id, doc.editToken, `![kept](${kept.url})`);
    await sweep(doc.id, Date.now());
    // As if that sweep had been a day ago.
    await runInDurableObject(docStub(doc.id), (_i: Document, state) => {
      state.storage.sql.exec("UPDATE file_orphans SET since = ?", Date.now() - FILE_ORPHAN_GRACE_MS - 1000);
    });
    expect(await runDurableObjectAlarm(docStub(doc.id))).toBe(true);
    expect(await fileKeys(doc.id)).toEqual([kept.id]);
    expect(await fileKeys(doc.id)).not.toContain(orphan.id);
  });

  it("costs one R2 list and no table for a document without files", async () => {
    const doc = await createDoc();
    expect(await sweep(doc.id, Date.now())).toMatchObject({ files: 0, deleted: [] });
    const tables = await runInDurableObject(docStub(doc.id), (_i: Document, state) =>
      state.storage.sql
        .exec("SELECT name FROM sqlite_master WHERE name LIKE 'file_%'")
        .toArray()
        .map((r) => r.name),
    );
    expect(tables).toEqual([]);
  });
});
