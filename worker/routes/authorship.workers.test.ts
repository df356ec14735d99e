/**
 * Who wrote what is recorded by the server (issue 25): each socket names its author
 * (author key, name) and the room records them with the Yjs client ids it introduces;
 * GET /authorship answers runs per author; a client id stays bound to its author.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { AuthorshipAnswer } from "../../shared/authorship";
import { CloseCode } from "../../shared/close-codes";
import { AUTHORSHIP_READS_PER_MINUTE_PER_LINK } from "../../shared/limits";
import { api } from "../test-support/api";
import { connect, createDoc, verdict } from "../test-support/client";
import { paragraphs, paragraphText } from "../test-support/ydoc";

const ANA = { key: "ana-browser-key-0001", name: "Ana" };
const BEN = { key: "ben-browser-key-0002", name: "Ben" };

async function authorshipOf(id: string, token: string): Promise<AuthorshipAnswer> {
  const res = await api("GET", `/api/docs/${id}/authorship`, token);
  expect(res.status).toBe(200);
  return res.body as unknown as AuthorshipAnswer;
}

describe("authorship", () => {
  it("records two authors through real sockets and answers runs per author", async () => {
    const doc = await createDoc();
    const ana = await connect(doc.id, doc.ownerToken, { author: ANA });
    ana.para().insert(0, "Hello world.");
    await ana.saved();
    const ben = await connect(doc.id, doc.editToken, { author: BEN });
    await ben.until(() => ben.text().includes("Hello world."), "Ana's text");
    ben.para().insert(5, " there");
    await ben.saved();

    // Any working link may read it, a comment link too.
    const answer = await authorshipOf(doc.id, doc.commentToken);
    const block = answer.blocks.find((b) => b.text === "Hello there world.");
    expect(block, JSON.stringify(answer.blocks)).toBeDefined();
    expect(block!.runs.map((r) => r.text).join("")).toBe(block!.text);
    const name = (id: string) => answer.authors.find((a) => a.id === id)?.name;
    expect(block!.runs.map((r) => [r.text, name(r.author)])).toEqual([
      ["Hello", "Ana"],
      [" there", "Ben"],
      [" world.", "Ana"],
    ]);
    const byName = Object.fromEntries(answer.authors.map((a) => [a.name, a]));
    expect(byName.Ana).toMatchObject({ kind: "person", link: "owner" });
    expect(byName.Ben).toMatchObject({ kind: "person", link: "edit" });
    // The key itself never leaves the server; the id is its hash's prefix.
    expect(JSON.stringify(answer)).not.toContain(ANA.key);
  });

  it("refuses an update written with another author's client id (4423); the room carries on", async () => {
    const doc = await createDoc();
    const ana = await connect(doc.id, doc.editToken, { author: ANA });
    ana.para().insert(0, "Ana's words");
    await ana.saved();
    const mallory = await connect(doc.id, doc.editToken, { author: { key: "mallory-key-00000003", name: "Mallory" } });
    await mallory.until(() => mallory.text() === "Ana's words", "sync");
    // Mallory writes under Ana's client id, so the text would show as Ana's.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(mallory.doc));
    const sv = Y.encodeStateVector(forged);
    forged.clientID = ana.doc.clientID;
    ((forged.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, "I resign. ");
    expect(await verdict(mallory, Y.encodeStateAsUpdate(forged, sv))).toBe(CloseCode.ForeignClientId);
    expect(mallory.errors()).toContain("foreign-client-id");

    ana.para().insert(0, "Still ");
    await ana.saved();
    const reader = await connect(doc.id, doc.viewToken);
    await reader.until(() => reader.text().length > 0, "sync");
    expect(reader.text()).toBe("Still Ana's words");
  });

  it("lets the same browser write with its earlier session's client id (an offline replay)", async () => {
    const doc = await createDoc();
    const first = await connect(doc.id, doc.editToken, { author: BEN });
    first.para().insert(0, "one");
    await first.saved();
    first.close();
    // The same browser (same author key) reconnects and replays more of that session.
    const again = await connect(doc.id, doc.editToken, { author: BEN });
    await again.until(() => again.text() === "one", "sync");
    const sv = Y.encodeStateVector(first.doc);
    first.para().insert(3, " two");
    expect(await verdict(again, Y.encodeStateAsUpdate(first.doc, sv))).toBe("saved");
  });

  it("names the person who imported or restored text, not nobody", async () => {
    const doc = await createDoc();
    const put = await api("PUT", `/api/docs/${doc.id}/content`, doc.editToken, { markdown: "Imported words", mode: "replace" });
    expect(put.status).toBe(200);
    const ana = await connect(doc.id, doc.ownerToken, { author: ANA });
    await ana.until(() => ana.text().includes("Imported words"), "sync");
    const named = await api("POST", `/api/docs/${doc.id}/versions`, doc.ownerToken, { name: "before" });
    expect(named.status).toBe(201);
    ana.para().delete(0, ana.para().length);
    ana.para().insert(0, "Replaced by Ana");
    await ana.saved();
    const restored = await api("POST", `/api/docs/${doc.id}/versions/${(named.body as { id: string }).id}/restore`, doc.ownerToken, {});
    expect(restored.status).toBe(200);
    const answer = await authorshipOf(doc.id, doc.viewToken);
    const names = answer.blocks.flatMap((b) => b.runs.map((r) => [r.text, answer.authors.find((a) => a.id === r.author)?.name]));
    expect(names).toContainEqual(["Imported words", expect.stringMatching(/^(Imported by an editor|Restored by the owner)$/)]);
    expect(answer.authors.map((a) => a.name)).not.toContain("Earlier writers");
  });

  it("answers for a document of 1 MB of text within 500 ms", async () => {
    const PARAGRAPHS = 990;
    const doc = await createDoc();
    const ana = await connect(doc.id, doc.ownerToken, { author: ANA });
    const line = (i: number) => `${String(i).padStart(4, "0")} ${"lorem ipsum dolor sit amet ".repeat(37)}`.slice(0, 1000);
    for (let start = 0; start < PARAGRAPHS; start += 330) {
      ana.write(...Array.from({ length: 330 }, (_, k) => line(start + k)));
      await ana.saved(30_000);
    }
    // Ben adds to every tenth paragraph, so runs alternate.
    const ben = await connect(doc.id, doc.editToken, { author: BEN });
    await ben.until(() => paragraphs(ben.doc).length === PARAGRAPHS, "sync", 30_000);
    ben.doc.transact(() => {
      for (let i = 0; i < PARAGRAPHS; i += 10) paragraphText(ben.doc, i).insert(500, " BEN WAS HERE ");
    });
    await ben.saved(30_000);
    expect(paragraphs(ben.doc).join("").length).toBeGreaterThan(990_000);

    const t0 = performance.now();
    const answer = await authorshipOf(doc.id, doc.viewToken);
    const ms = performance.now() - t0;
    console.log(`authorship 1 MB: ${ms.toFixed(0)} ms`);
    const blocks = answer.blocks.filter((b) => b.text !== "");
    expect(blocks).toHaveLength(PARAGRAPHS);
    expect(blocks[10]!.runs.map((r) => r.text.length)).toEqual([500, 14, 500]);
    expect(answer.authors.map((a) => a.name).sort()).toEqual(["Ana", "Ben"]);
    expect(ms).toBeLessThan(500);
  }, 60_000);

  it("is rate limited per link (429 with Retry-After); another link keeps its own budget", async () => {
    const doc = await createDoc();
    let limited: Awaited<ReturnType<typeof api>> | null = null;
    // The bucket refills meanwhile (2 a second), so ask a little past the burst.
    for (let i = 0; i < 2 * AUTHORSHIP_READS_PER_MINUTE_PER_LINK && !limited; i++) {
      const res = await api("GET", `/api/docs/${doc.id}/authorship`, doc.viewToken);
      if (res.status !== 200) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(limited?.body).toMatchObject({ error: "rate-limited" });
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await api("GET", `/api/docs/${doc.id}/authorship`, doc.editToken)).status).toBe(200);
  });

  it("refuses a socket whose author key is malformed", async () => {
    const doc = await createDoc();
    const peer = await connect(doc.id, doc.editToken, { author: { key: "short" } });
    await peer.until(() => peer.closed !== null, "close");
    expect(peer.closed?.code).toBe(CloseCode.BadRequest);
  });
});
