/**
 * Threads do not live in one place only: they are copied to R2 at the snapshot alarms
 * and come back when a document is rebuilt from R2 alone (as the storage tests rebuild
 * one: SQLite deleted, the Durable Object restarted).
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Thread, ThreadResponse, ThreadsResponse } from "../../shared/comments";
import type { Document } from "../Document";
import { api } from "../test-support/api";
import { connect, createDoc } from "../test-support/client";
import { restart, stub, waitForIdleAlarm } from "../test-support/storage";
import { anchoredQuotes } from "./anchor";

const KEY = "r".repeat(24);

describe("threads in R2", () => {
  it("a document rebuilt from R2 has its threads, comments, statuses, authors and anchors", async () => {
    const doc = await createDoc("With threads");
    const editor = await connect(doc.id, doc.editToken);
    editor.para().insert(0, "Alpha beta gamma.");
    await editor.saved();
    const base = `/api/docs/${doc.id}/threads`;
    const t1 = (await api("POST", base, doc.commentToken, { quote: "beta", body: "Why beta?", author: "Cleo", authorKey: KEY }))
      .body as unknown as Thread;
    await api("POST", `${base}/${t1.id}/comments`, doc.editToken, { body: "Because.", author: "Ed" });
    const t2 = (await api("POST", base, doc.editToken, { quote: "gamma", body: "Done here" })).body as unknown as Thread;
    const gone = (await api("POST", base, doc.editToken, { quote: "Alpha", body: "Deleted" })).body as unknown as Thread;
    await api("DELETE", `${base}/${gone.id}`, doc.ownerToken);
    await editor.until(() => anchoredQuotes(editor.doc).size === 2, "anchors synced");
    editor.close();
    await waitForIdleAlarm(doc.id);
    await runDurableObjectAlarm(stub(doc.id));
    expect(await env.SNAPSHOTS.head(`docs/${doc.id}/threads.json.gz`)).not.toBeNull();

    // With nobody connected, a change to threads alone (no edit, so no new snapshot)
    // still reaches R2 at the next alarm.
    await api("POST", `${base}/${t1.id}/comments`, doc.ownerToken, { body: "Added after the snapshot." });
    await api("PATCH", `${base}/${t2.id}`, doc.editToken, { status: "resolved" });
    expect(await runInDurableObject(stub(doc.id), (_i: Document, s) => s.storage.getAlarm())).not.toBeNull();
    await runDurableObjectAlarm(stub(doc.id));
    const before = ((await api("GET", base, doc.viewToken)).body as unknown as ThreadsResponse).threads;

    await runInDurableObject(stub(doc.id), (_i: Document, s) => s.storage.deleteAll());
    await restart(doc.id);

    const after = (await api("GET", base, doc.viewToken)).body as unknown as ThreadsResponse;
    expect(after.threads.map((t) => [t.id, t.status, t.quote, t.commentCount])).toEqual([
      [t1.id, "open", "beta", 3],
      [t2.id, "resolved", "gamma", 1],
    ]);
    const full = (await api("GET", `${base}/${t1.id}`, doc.viewToken)).body as unknown as ThreadResponse;
    expect(full.comments.map((c) => [c.author, c.body, c.kind])).toEqual([
      ["Cleo", "Why beta?", "person"],
      ["Ed", "Because.", "person"],
      ["Anonymous", "Added after the snapshot.", "person"],
    ]);
    const ids = (list: Thread[]) => Object.fromEntries(list.map((t) => [t.id, t.comments.map((c) => c.id)]));
    expect(ids(after.threads)).toEqual(ids(before));
    // The author is still recognised by their key, and the anchors came back with the content.
    const own = await api("PATCH", `${base}/${t1.id}/comments/${t1.comments[0]!.id}`, doc.commentToken, {
      body: "Why beta, really?",
      authorKey: KEY,
    });
    expect(own.status).toBe(200);
    const reader = await connect(doc.id, doc.viewToken);
    await reader.until(() => anchoredQuotes(reader.doc).size === 2, "anchors back");
    expect([...anchoredQuotes(reader.doc).keys()].sort()).toEqual([t1.id, t2.id].sort());
    reader.close();
  });

  it("does not install a copy that does not parse (the document still recovers)", async () => {
    const doc = await createDoc("Bad copy");
    const editor = await connect(doc.id, doc.editToken);
    editor.para().insert(0, "Some text.");
    await editor.saved();
    await api("POST", `/api/docs/${doc.id}/threads`, doc.editToken, { quote: "Some", body: "hi" });
    editor.close();
    await waitForIdleAlarm(doc.id);
    await runDurableObjectAlarm(stub(doc.id));
    const { gzip } = await import("../storage/codec");
    const junk = JSON.stringify({ format: 1, threads: [{ id: "x", status: "open", quote: "q", createdAt: 1, comments: [] }] });
    await env.SNAPSHOTS.put(`docs/${doc.id}/threads.json.gz`, await gzip(new TextEncoder().encode(junk)));
    await runInDurableObject(stub(doc.id), (_i: Document, s) => s.storage.deleteAll());
    await restart(doc.id);
    const after = await api("GET", `/api/docs/${doc.id}/threads`, doc.viewToken);
    expect(after.status).toBe(200);
    expect((after.body as unknown as ThreadsResponse).threads).toEqual([]);
  });
});
