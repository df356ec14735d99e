/**
 * Comment threads inside workerd: stored in the Durable Object, anchored by a mark the
 * server sets, following edits, detached (never lost) when their text goes, and the
 * roles that may read and write them.
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import type { Thread } from "../../shared/comments";
import { MAX_COMMENT_BODY_CHARS } from "../../shared/limits";
import { api } from "../test-support/api";
import { ORIGIN, connect, createDoc, type Peer } from "../test-support/client";
import { anchoredQuotes } from "./anchor";

const KEY_A = "a".repeat(24);
const KEY_B = "b".repeat(24);

async function typed(peer: Peer, text: string): Promise<void> {
  peer.para().insert(0, text);
  await peer.saved();
}

const threads = async (id: string, token: string): Promise<Thread[]> => {
  const res = await api("GET", `/api/docs/${id}/threads`, token);
  expect(res.status).toBe(200);
  return (res.body as { threads: Thread[] }).threads;
};

/** The thread ids a peer's copy of the document carries as comment marks. */
const marksIn = (peer: Peer) => [...anchoredQuotes(peer.doc).keys()];

describe("threads", () => {
  it("a commenter starts a thread: stored, anchored by the server, seen live by everyone", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    await typed(editor, "The quick brown fox jumps.");
    const watcher = await connect(doc.id, doc.viewToken);

    const res = await api("POST", `/api/docs/${doc.id}/threads`, doc.commentToken, {
      quote: "brown fox",
      body: "  Which fox? ",
      author: "Cleo",
      authorKey: KEY_A,
    });
    expect(res.status).toBe(201);
    const t = res.body as unknown as Thread;
    expect(t).toMatchObject({ status: "open", quote: "brown fox" });
    expect(t.comments).toHaveLength(1);
    expect(t.comments[0]).toMatchObject({ author: "Cleo", body: "Which fox?", editedAt: null });
    expect(t.comments[0]!.authorId).toMatch(/^[0-9a-f]{16}$/);

    // The anchor reached the editor through the ordinary update path, as a mark.
    await editor.until(() => marksIn(editor).includes(t.id), "anchor mark synced");
    const delta = editor.para().toDelta() as { insert: string; attributes?: Record<string, unknown> }[];
    expect(delta).toEqual([
      { insert: "The quick " },
      { insert: "brown fox", attributes: { comment: { threadId: t.id } } },
      { insert: " jumps." },
    ]);
    await watcher.until(() => watcher.messages.some((m) => m.type === "thread-changed" && m.threadId === t.id), "live notice");

    // Everyone may read; a viewer sees the same thread.
    expect(await threads(doc.id, doc.viewToken)).toEqual([t]);
    editor.close();
    watcher.close();
  });

  it("follows edits around and inside the anchor, and detaches (keeping the last quote) when the text goes", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    await typed(editor, "alpha beta gamma");
    const made = await api("POST", `/api/docs/${doc.id}/threads`, doc.editToken, { quote: "beta", body: "why beta" });
    const id = (made.body as unknown as Thread).id;
    await editor.until(() => marksIn(editor).includes(id), "anchor synced");

    editor.para().insert(0, ">> ");
    editor.para().insert(">> alpha be".length, "-");
    await editor.saved();
    const [moved] = await threads(doc.id, doc.viewToken);
    expect(moved).toMatchObject({ id, status: "open", quote: "be-ta" });

    // Undo-like removal of the whole anchored text: the thread stays, detached.
    editor.para().delete(">> alpha ".length, "be-ta".length);
    await editor.saved();
    const [gone] = await threads(doc.id, doc.viewToken);
    expect(gone).toMatchObject({ id, status: "detached", quote: "be-ta" });
    expect(gone!.comments.map((c) => c.body)).toEqual(["why beta"]);
    editor.close();
  });

  it("replies, resolves and reopens; people edit and delete only their own comments", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    await typed(editor, "one two three");
    const base = `/api/docs/${doc.id}/threads`;
    const t = (await api("POST", base, doc.commentToken, { quote: "two", body: "first", authorKey: KEY_A })).body as unknown as Thread;

    const reply = await api("POST", `${base}/${t.id}/comments`, doc.editToken, { body: "second", author: "Ed", authorKey: KEY_B });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ author: "Ed", body: "second" });
    const replyId = reply.body.id as string;

    expect((await api("PATCH", `${base}/${t.id}`, doc.commentToken, { status: "resolved" })).body).toMatchObject({ status: "resolved" });
    expect((await threads(doc.id, doc.viewToken))[0]!.status).toBe("resolved");
    expect((await api("PATCH", `${base}/${t.id}`, doc.ownerToken, { status: "open" })).body).toMatchObject({ status: "open" });

    // KEY_A wrote the first comment, not the reply.
    const firstId = t.comments[0]!.id;
    expect((await api("PATCH", `${base}/${t.id}/comments/${replyId}`, doc.commentToken, { body: "hijack", authorKey: KEY_A })).status).toBe(
      403,
    );
    expect((await api("DELETE", `${base}/${t.id}/comments/${replyId}`, doc.commentToken, { authorKey: KEY_A })).status).toBe(403);
    const edited = await api("PATCH", `${base}/${t.id}/comments/${firstId}`, doc.commentToken, { body: "first, edited", authorKey: KEY_A });
    expect(edited.status).toBe(200);
    expect(edited.body.editedAt).toEqual(expect.any(Number));
    expect((await api("DELETE", `${base}/${t.id}/comments/${replyId}`, doc.editToken, { authorKey: KEY_B })).status).toBe(200);
    const [after] = await threads(doc.id, doc.viewToken);
    expect(after!.comments.map((c) => c.body)).toEqual(["first, edited"]);
    editor.close();
  });

  it("refuses viewers, strangers, absent quotes, blank and oversized comments, unknown threads", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    await typed(editor, "some text");
    const base = `/api/docs/${doc.id}/threads`;
    expect((await api("POST", base, doc.viewToken, { quote: "some", body: "x" })).status).toBe(403);
    expect((await api("GET", base, null)).status).toBe(401);
    const other = await createDoc();
    expect((await api("GET", base, other.ownerToken)).status).toBe(403);
    const absent = await api("POST", base, doc.editToken, { quote: "missing", body: "x" });
    expect(absent.status).toBe(400);
    expect(absent.body.error).toBe("quote-not-found");
    expect((await api("POST", base, doc.editToken, { quote: "some", body: "   " })).status).toBe(400);
    expect((await api("POST", base, doc.editToken, { quote: "some", body: "y".repeat(MAX_COMMENT_BODY_CHARS + 1) })).status).toBe(400);
    expect((await api("POST", `${base}/AAAAAAAAAAAA/comments`, doc.editToken, { body: "x" })).status).toBe(404);
    expect((await api("PATCH", `${base}/AAAAAAAAAAAA`, doc.editToken, { status: "detached" })).status).toBe(400);
    expect(await threads(doc.id, doc.viewToken)).toEqual([]);
    // Nothing was anchored by the refused calls.
    expect(marksIn(editor)).toEqual([]);
    editor.close();
  });

  it("keeps threads when a raw Yjs write strips the anchor, and leaves anchors out of exports", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    await typed(editor, "keep me here");
    const t = (await api("POST", `/api/docs/${doc.id}/threads`, doc.commentToken, { quote: "me", body: "hi" })).body as unknown as Thread;
    await editor.until(() => marksIn(editor).includes(t.id), "anchor synced");

    const html = await SELF.fetch(`${ORIGIN}/api/docs/${doc.id}/export?format=html`, {
      headers: { authorization: `Bearer ${doc.viewToken}` },
    });
    const out = await html.text();
    expect(out).toContain("keep me here");
    expect(out).not.toContain(t.id);
    expect(out).not.toContain("comment");

    // An editor's client removes the mark by hand: the thread survives, detached.
    editor.para().format(0, "keep me here".length, { comment: null });
    await editor.saved();
    const [left] = await threads(doc.id, doc.viewToken);
    expect(left).toMatchObject({ id: t.id, status: "detached", quote: "me" });
    expect(editor.doc.getXmlFragment(YDOC_CONTENT_FIELD).toString()).not.toContain(t.id);
    editor.close();
  });

  it("keeps every thread when a version is restored; anchors are whatever the version holds", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    await typed(editor, "first draft text");
    const named = await api("POST", `/api/docs/${doc.id}/versions`, doc.editToken, { name: "before comments" });
    expect(named.status).toBe(201);
    const t = (await api("POST", `/api/docs/${doc.id}/threads`, doc.commentToken, { quote: "draft", body: "hm" }))
      .body as unknown as Thread;
    await editor.until(() => marksIn(editor).includes(t.id), "anchor synced");
    const restored = await api("POST", `/api/docs/${doc.id}/versions/${named.body.id as string}/restore`, doc.editToken, {});
    expect(restored.status).toBe(200);
    await editor.until(() => !marksIn(editor).includes(t.id), "restored content synced");
    const [kept] = await threads(doc.id, doc.viewToken);
    expect(kept).toMatchObject({ id: t.id, status: "detached", quote: "draft" });
    expect(kept!.comments.map((c) => c.body)).toEqual(["hm"]);
    editor.close();
  });

  it("anchors to the occurrence asked for, counting across paragraphs", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    await typed(editor, "two one two");
    const base = `/api/docs/${doc.id}/threads`;
    const second = (await api("POST", base, doc.commentToken, { quote: "two", occurrence: 1, body: "the second" }))
      .body as unknown as Thread;
    await editor.until(() => marksIn(editor).includes(second.id), "anchor synced");
    expect(editor.para().toDelta()).toEqual([{ insert: "two one " }, { insert: "two", attributes: { comment: { threadId: second.id } } }]);
    const missing = await api("POST", base, doc.commentToken, { quote: "two", occurrence: 2, body: "no third" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("quote-not-found");
    editor.close();
  });
});
