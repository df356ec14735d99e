/**
 * GET …/versions/<a>/compare through the real Worker, with two authors typing over real
 * sockets: the insertions and deletions in document order with who wrote them, against
 * another version or the live document, either direction; bad ids and tokens; and a
 * document of 1 MB of text.
 */
import { env, runInDurableObject } from "cloudflare:test";
import * as Y from "yjs";
import { encodeSyncFrame, SyncType } from "../../shared/frames";
import { describe, expect, it } from "vitest";
import type { CompareResponse, Version } from "../../shared/versions";
import { connect, createDoc, type Peer } from "../test-support/client";
import { api, apiJson, paragraphs, paragraphText } from "../test-support/content";

const name = (id: string, token: string, n: string) => apiJson<Version>(`/api/docs/${id}/versions`, { token, body: { name: n } });
const compare = (id: string, token: string, a: string, to: string) =>
  apiJson<CompareResponse>(`/api/docs/${id}/versions/${a}/compare?to=${to}`, { token });

/** Each change as "+text@link" / "-text@link" (the link its author wrote with). */
function summary(res: CompareResponse): string[] {
  const link = (id?: string) => (id === undefined ? "?" : (res.authors.find((a) => a.id === id)?.link ?? "none"));
  return res.changes.map((c) => `${c.op === "insert" ? "+" : "-"}${c.text}@${link(c.author)}`);
}

/** Both peers see the same document. */
async function settle(...peers: Peer[]): Promise<void> {
  for (const p of peers) await p.saved();
  const want = paragraphs(peers[0]!.doc).join("|");
  for (const p of peers) await p.until(() => paragraphs(p.doc).join("|") === want, "convergence");
}

/** The owner wrote "Hello world"; the editor made it "Hello brave world" (v1); then the
 * owner replaced "world" with "there" and the editor added a paragraph (v2). */
async function twoAuthors() {
  const doc = await createDoc("Compare");
  const owner = await connect(doc.id, doc.ownerToken);
  const editor = await connect(doc.id, doc.editToken);
  owner.write("Hello world");
  await settle(owner, editor);
  paragraphText(editor.doc, 0).insert(5, " brave");
  await settle(editor, owner);
  const v1 = await name(doc.id, doc.editToken, "v1");
  const t = paragraphText(owner.doc, 0);
  owner.doc.transact(() => {
    t.delete(12, 5);
    t.insert(12, "there");
  });
  await settle(owner, editor);
  editor.write("A new line");
  await settle(editor, owner);
  const v2 = await name(doc.id, doc.editToken, "v2");
  return { doc, owner, editor, v1, v2 };
}

describe("compare", () => {
  it("answers the insertions and deletions between two versions in document order, with their authors", async () => {
    const { doc, owner, editor, v1, v2 } = await twoAuthors();
    const res = await compare(doc.id, doc.viewToken, v1.id, v2.id);
    expect(summary(res)).toEqual(["-world@owner", "+there@owner", "+A new line@edit"]);
    expect(res.blocks.map((b) => b.op)).toEqual(["same", "insert"]);
    expect(res.blocks[0]!.runs.map((r) => [r.op, r.text])).toEqual([
      ["same", "Hello brave "],
      ["delete", "world"],
      ["insert", "there"],
    ]);
    // The live document is v2 still.
    const fromStart = await compare(doc.id, doc.viewToken, v1.id, "current");
    expect(summary(fromStart)).toEqual(summary(res));
    const authors = new Set(res.changes.flatMap((c) => (c.author ? [c.author] : [])));
    expect(res.authors.map((a) => a.id).sort()).toEqual([...authors].sort());
    owner.close();
    editor.close();
  });

  it("compares a version with the live document, and in either direction", async () => {
    const { doc, owner, editor, v1, v2 } = await twoAuthors();
    paragraphText(editor.doc, 1).insert(10, "!");
    paragraphText(owner.doc, 0).delete(0, 6);
    await settle(editor, owner);
    expect(summary(await compare(doc.id, doc.editToken, v2.id, "current"))).toEqual(["-Hello @owner", "+!@edit"]);
    // Without `to`, the live document.
    const implicit = await apiJson<CompareResponse>(`/api/docs/${doc.id}/versions/${v2.id}/compare`, { token: doc.editToken });
    expect(summary(implicit)).toEqual(["-Hello @owner", "+!@edit"]);
    // Backwards, what v2 added is what v1 lacks: deletions, whose inserters are not
    // who deleted them, so no author is given.
    expect(summary(await compare(doc.id, doc.editToken, v2.id, v1.id))).toEqual(["+world@owner", "-there@?", "-A new line@?"]);
    const same = await compare(doc.id, doc.editToken, v1.id, v1.id);
    expect(same.changes).toEqual([]);
    expect(same.blocks.map((b) => b.runs.map((r) => r.text).join(""))).toEqual(["Hello brave world"]);
    owner.close();
    editor.close();
  });

  it("records who deleted: backspaces as one range, and never the sender of a resync that repeats others' deletions", async () => {
    const { doc, owner, editor, v2 } = await twoAuthors();
    // Ben backspaces "line" one keystroke at a time.
    const t = paragraphText(editor.doc, 1);
    for (let i = 0; i < 4; i++) {
      t.delete(t.length - 1, 1);
      await editor.saved();
    }
    await settle(editor, owner);
    // A third writer types, then sends its whole state: every deletion it knows of.
    const third = await connect(doc.id, doc.editToken);
    await third.until(() => paragraphs(third.doc).join("|") === paragraphs(owner.doc).join("|"), "sync");
    paragraphText(third.doc, 0).insert(0, ">");
    await third.saved();
    third.send(encodeSyncFrame(SyncType.Update, Y.encodeStateAsUpdate(third.doc)));
    await third.saved();
    await settle(third, owner, editor);
    expect(summary(await compare(doc.id, doc.viewToken, v2.id, "current"))).toEqual(["+>@edit", "-line@edit"]);
    const rows = await runInDurableObject(env.Document.getByName(doc.id), (_i, state) =>
      state.storage.sql.exec<{ by: number; len: number }>("SELECT by, len FROM deletions").toArray(),
    );
    // "world" by the owner, "line" by the editor: one row each.
    expect(rows.map((r) => [r.by, r.len]).sort()).toEqual(
      [
        [owner.doc.clientID, 5],
        [editor.doc.clientID, 4],
      ].sort(),
    );
    owner.close();
    editor.close();
    third.close();
  });

  it("credits a deletion to its browser's person, even from a connection that only deleted", async () => {
    const doc = await createDoc("Deleter");
    const key = "dora-browser-key-0004";
    const first = await connect(doc.id, doc.editToken, { author: { key, name: "Dora" } });
    first.write("Keep this, drop that");
    await first.saved();
    const v1 = await name(doc.id, doc.editToken, "v1");
    first.close();
    // The same browser comes back and only deletes: no client id of this connection's own.
    const again = await connect(doc.id, doc.editToken, { author: { key, name: "Dora" } });
    await again.until(() => paragraphs(again.doc).join("") === "Keep this, drop that", "sync");
    paragraphText(again.doc, 0).delete(9, 11);
    await again.saved();
    const res = await compare(doc.id, doc.viewToken, v1.id, "current");
    expect(res.changes).toHaveLength(1);
    const deleter = res.authors.find((a) => a.id === res.changes[0]!.author);
    expect(res.changes[0]).toMatchObject({ op: "delete", text: ", drop that" });
    expect(deleter).toMatchObject({ name: "Dora", kind: "person" });
  });

  it("answers 404 for unknown versions and refuses requests without a token of the document", async () => {
    const { doc, owner, editor, v1 } = await twoAuthors();
    const other = await createDoc();
    const base = `/api/docs/${doc.id}/versions`;
    for (const path of [
      `${base}/AAAAAAAAAAAAAAAAAAAA/compare?to=current`,
      `${base}/${v1.id}/compare?to=AAAAAAAAAAAAAAAAAAAA`,
      `${base}/${v1.id}/compare?to=..%2Fmeta.json`,
    ]) {
      const res = await api(path, { token: doc.viewToken });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe("not-found");
    }
    expect((await api(`${base}/${v1.id}/compare?to=current`)).status).toBe(401);
    expect((await api(`${base}/${v1.id}/compare?to=current`, { token: other.ownerToken })).status).toBe(403);
    owner.close();
    editor.close();
  });

  it("compares a document of 1 MB of text within 1 s", async () => {
    const PARAGRAPHS = 990;
    const doc = await createDoc("Big");
    const owner = await connect(doc.id, doc.ownerToken);
    const line = (i: number) => `${String(i).padStart(4, "0")} ${"lorem ipsum dolor sit amet ".repeat(37)}`.slice(0, 1000);
    for (let start = 0; start < PARAGRAPHS; start += 330) {
      owner.write(...Array.from({ length: 330 }, (_, k) => line(start + k)));
      await owner.saved(30_000);
    }
    const v1 = await name(doc.id, doc.ownerToken, "big");
    // An editor changes a word in every tenth paragraph.
    const editor = await connect(doc.id, doc.editToken);
    await editor.until(() => paragraphs(editor.doc).length === PARAGRAPHS, "sync", 30_000);
    editor.doc.transact(() => {
      for (let i = 0; i < PARAGRAPHS; i += 10) {
        const t = paragraphText(editor.doc, i);
        t.delete(5, 5);
        t.insert(5, "LOREM");
      }
    });
    await editor.saved(30_000);
    expect(paragraphs(editor.doc).join("").length).toBeGreaterThan(980_000);
    const v2 = await name(doc.id, doc.ownerToken, "edited");

    for (const to of [v2.id, "current"]) {
      const t0 = performance.now();
      const res = await compare(doc.id, doc.viewToken, v1.id, to);
      const ms = performance.now() - t0;
      console.log(`compare 1 MB (to=${to === "current" ? "current" : "version"}): ${ms.toFixed(0)} ms`);
      expect(res.changes.length).toBe(2 * (PARAGRAPHS / 10));
      expect(res.changes[0]).toMatchObject({ op: "delete", text: "lorem" });
      expect(res.changes[1]).toMatchObject({ op: "insert", text: "LOREM" });
      expect(ms).toBeLessThan(1000);
    }
    owner.close();
    editor.close();
  }, 120_000);
});
