/**
 * History against a link holder who wants it gone (issue 22, "the past is the owner's"):
 * a restore storm, a flood of named versions, and the limits that stop them, inside workerd.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  MAX_NAMED_VERSIONS,
  NAMED_VERSIONS_OWNER_RESERVE,
  RESTORE_CHECKPOINTS_PER_HOUR,
  RESTORES_PER_MINUTE_PER_LINK,
  VERSION_NAMES_PER_MINUTE_PER_LINK,
} from "../../shared/limits";
import { LinkRates } from "../routes/link-rates";
import type { RestoreResponse, Version } from "../../shared/versions";
import type { Document } from "../Document";
import { roomOf } from "../test-support/room";
import { VersionIndex } from "./version-index";
import { connect, createDoc } from "../test-support/client";
import { api, apiJson, appendParagraph } from "../test-support/content";

const stub = (id: string) => env.Document.getByName(id);
const versionsOf = (id: string, token: string) => apiJson<Version[]>(`/api/docs/${id}/versions`, { token });
const textOf = async (id: string, token: string, v: string) => (await api(`/api/docs/${id}/versions/${v}?format=txt`, { token })).text();

/** An automatic version made now, as the interval alarm would. */
function makeAutoVersion(id: string): Promise<string> {
  return runInDurableObject(stub(id), async (i: Document) => {
    const { versions } = roomOf(i).history as unknown as { versions: { make(kind: string): Promise<{ id: string } | null> } };
    const row = await versions.make("auto");
    if (!row) throw new Error("no automatic version was made");
    return row.id;
  });
}

describe("a restore storm", () => {
  it("cannot push the automatic version from before it out of history", async () => {
    const doc = await createDoc("Storm");
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "The original text.");
    await a.saved();
    const original = await makeAutoVersion(doc.id);

    // The attack: two named versions, then restore them alternately, as fast as answered.
    appendParagraph(a.doc, "vandal one");
    await a.saved();
    const one = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "one" } });
    appendParagraph(a.doc, "vandal two");
    await a.saved();
    const two = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "two" } });
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    // 520 restores, 20 at a time, as a script would send them.
    for (let round = 0; round < 26; round++) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, k) => {
          const target = (round * 20 + k) % 2 === 0 ? one.id : two.id;
          const res = await api(`/api/docs/${doc.id}/versions/${target}/restore`, { token: doc.editToken, method: "POST" });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 429) retryAfter ??= res.headers.get("retry-after");
          await res.body?.cancel();
        }),
      );
    }
    const list = await versionsOf(doc.id, doc.ownerToken);
    console.log(
      `restore storm: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(", ")}; afterwards ${list.length} versions (${list.filter((v) => v.kind === "before-restore").length} checkpoints)`,
    );
    expect(list.some((v) => v.id === original)).toBe(true);
    expect(await textOf(doc.id, doc.viewToken, original)).toBe("The original text.\n");
    // Refused early and told when to come back.
    expect(statuses.get(429) ?? 0).toBeGreaterThan(400);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    a.close();
  }, 120_000);
});

/** Index rows as if versions had been made (their R2 objects are not needed to count). */
function insertRows(id: string, rows: { kind: string; createdAt: number; name?: string }[]): Promise<void> {
  return runInDurableObject(stub(id), (_i: Document, s) => {
    const index = new VersionIndex(s.storage.sql);
    rows.forEach((r, n) => {
      index.insert({
        id: `x${String(n).padStart(15, "0")}`,
        createdAt: r.createdAt,
        seq: 0,
        kind: r.kind as Version["kind"],
        name: r.name ?? null,
        bytes: 10,
        storedBytes: 10,
        authors: [],
        r2Key: `docs/${id}/inserted-${n}.bin`,
      });
    });
  });
}

/** Fresh rate-limit buckets for every link, as after a quiet minute. */
function refillRates(id: string): Promise<void> {
  return runInDurableObject(stub(id), (i: Document) => {
    (i as unknown as { historyRoutes: { rates: LinkRates } }).historyRoutes.rates = new LinkRates();
  });
}

const restoreOf = (id: string, token: string, v: string) => api(`/api/docs/${id}/versions/${v}/restore`, { token, method: "POST" });
const nameAs = (id: string, token: string, name: string) => api(`/api/docs/${id}/versions`, { token, body: { name } });

describe("restores", () => {
  it("restoring two versions back and forth makes no checkpoints", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "one");
    await a.saved();
    const one = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "one" } });
    appendParagraph(a.doc, "two");
    await a.saved();
    const two = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "two" } });
    for (const v of [one, two, one, two]) {
      const res = (await (await restoreOf(doc.id, doc.editToken, v.id)).json()) as RestoreResponse;
      expect(res.checkpoint).toBeNull();
    }
    // A change after a restore is new: the next restore keeps it.
    appendParagraph(a.doc, "three");
    await a.saved();
    const res = (await (await restoreOf(doc.id, doc.editToken, one.id)).json()) as RestoreResponse;
    expect(res.checkpoint?.kind).toBe("before-restore");
    expect(await textOf(doc.id, doc.viewToken, res.checkpoint!.id)).toBe("one\n\ntwo\n\nthree\n");
    a.close();
  }, 30_000);

  it("are rate limited per link, and the edit link's use never locks the owner out", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "one");
    await a.saved();
    const one = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.ownerToken, body: { name: "one" } });
    // The edit link's budget: a burst of RESTORES_PER_MINUTE_PER_LINK, then one per
    // 60/n seconds (more may pass on a slow machine, where the burst takes a while).
    const started = Date.now();
    let passed = 0;
    let refused = await restoreOf(doc.id, doc.editToken, one.id);
    while (refused.status === 200 && passed < 40) {
      passed += 1;
      refused = await restoreOf(doc.id, doc.editToken, one.id);
    }
    expect(refused.status).toBe(429);
    expect(passed).toBeGreaterThanOrEqual(RESTORES_PER_MINUTE_PER_LINK);
    expect(passed).toBeLessThanOrEqual(
      RESTORES_PER_MINUTE_PER_LINK + Math.ceil(((Date.now() - started) / 60_000) * RESTORES_PER_MINUTE_PER_LINK),
    );
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: string }).error).toBe("rate-limited");
    expect((await restoreOf(doc.id, doc.ownerToken, one.id)).status).toBe(200);
    a.close();
  }, 30_000);

  it("past the hourly checkpoint budget, other links wait and the owner still restores", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "kept");
    await a.saved();
    const kept = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.ownerToken, body: { name: "kept" } });
    const now = Date.now();
    await insertRows(
      doc.id,
      Array.from({ length: RESTORE_CHECKPOINTS_PER_HOUR }, (_, i) => ({ kind: "before-restore", createdAt: now - 30 * 60_000 + i })),
    );
    appendParagraph(a.doc, "new words");
    await a.saved();
    const refused = await restoreOf(doc.id, doc.editToken, kept.id);
    expect(refused.status).toBe(429);
    // The oldest of the hour's checkpoints is 30 minutes old: one is free in ~30 minutes.
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(29 * 60);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(30 * 60);
    const owner = (await (await restoreOf(doc.id, doc.ownerToken, kept.id)).json()) as RestoreResponse;
    expect(owner.checkpoint?.kind).toBe("before-restore");
    expect(await textOf(doc.id, doc.viewToken, owner.checkpoint!.id)).toBe("kept\n\nnew words\n");
    a.close();
  }, 30_000);

  it("checkpoints do not hold back the next scheduled version", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "one");
    await a.saved();
    const one = await apiJson<Version>(`/api/docs/${doc.id}/versions`, { token: doc.ownerToken, body: { name: "one" } });
    appendParagraph(a.doc, "two");
    await a.saved();
    const res = (await (await restoreOf(doc.id, doc.editToken, one.id)).json()) as RestoreResponse;
    expect(res.checkpoint?.kind).toBe("before-restore");
    await a.until(() => a.doc.getXmlFragment("default").length === 1, "restored");
    appendParagraph(a.doc, "three");
    await a.saved();
    // Before, a checkpoint counted as automatic and started the one-minute gap.
    await makeAutoVersion(doc.id);
    a.close();
  }, 30_000);
});

describe("named versions", () => {
  it("other links fill at most all but the owner's reserve; the owner names, deletes, and frees slots", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "text");
    await a.saved();
    // The attack as it was: name versions in a loop.
    const statuses = new Map<number, number>();
    for (let i = 0; i < 30; i++) {
      const s = (await nameAs(doc.id, doc.editToken, `spam ${i}`)).status;
      statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    console.log(`naming 30 in a loop from an edit link: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(", ")}`);
    expect(statuses.get(201)).toBeGreaterThanOrEqual(VERSION_NAMES_PER_MINUTE_PER_LINK);
    expect(statuses.get(429) ?? 0).toBeGreaterThan(0);

    // Fill the rest of what other links may add, as if over many minutes.
    const have = (await versionsOf(doc.id, doc.ownerToken)).length;
    const cap = MAX_NAMED_VERSIONS - NAMED_VERSIONS_OWNER_RESERVE;
    await insertRows(
      doc.id,
      Array.from({ length: cap - have }, (_, i) => ({ kind: "named", createdAt: Date.now() - 60_000 + i, name: `filler ${i}` })),
    );
    await refillRates(doc.id); // as if the minutes had passed
    const full = await nameAs(doc.id, doc.editToken, "one more");
    expect(full.status).toBe(409);
    expect(((await full.json()) as { error: string }).error).toBe("too-many-versions");
    const mine = await nameAs(doc.id, doc.ownerToken, "the owner's");
    expect(mine.status).toBe(201);
    const ownersVersion = (await mine.json()) as Version;

    // Only the owner deletes, only named versions; a deleted one frees its slot.
    const list = await versionsOf(doc.id, doc.ownerToken);
    const spam = list.find((v) => v.name === "spam 0")!;
    for (const token of [doc.editToken, doc.commentToken, doc.viewToken]) {
      expect((await api(`/api/docs/${doc.id}/versions/${spam.id}`, { token, method: "DELETE" })).status).toBe(403);
    }
    expect((await api(`/api/docs/${doc.id}/versions/${spam.id}`, { token: doc.ownerToken, method: "DELETE" })).status).toBe(204);
    expect((await api(`/api/docs/${doc.id}/versions/${spam.id}`, { token: doc.ownerToken, method: "DELETE" })).status).toBe(404);
    expect((await api(`/api/docs/${doc.id}/versions/${spam.id}`, { token: doc.viewToken })).status).toBe(404);
    expect((await api(`/api/docs/${doc.id}/versions/${ownersVersion.id}`, { token: doc.viewToken })).status).toBe(200);
    // The reserve is counted over all named versions (the owner's fill it too): one
    // more delete brings them under the others' share again.
    const spam1 = list.find((v) => v.name === "spam 1")!;
    expect((await api(`/api/docs/${doc.id}/versions/${spam1.id}`, { token: doc.ownerToken, method: "DELETE" })).status).toBe(204);
    await refillRates(doc.id);
    expect((await nameAs(doc.id, doc.editToken, "after the delete")).status).toBe(201);
    a.close();
  }, 60_000);

  it("automatic versions are not deleted on request", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    appendParagraph(a.doc, "text");
    await a.saved();
    const auto = await makeAutoVersion(doc.id);
    const res = await api(`/api/docs/${doc.id}/versions/${auto}`, { token: doc.ownerToken, method: "DELETE" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe("not-named");
    a.close();
  }, 30_000);
});
