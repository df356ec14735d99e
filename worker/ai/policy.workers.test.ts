/**
 * The owner's AI policy, inside workerd: PATCH /api/docs/<id> `{ai}` (owner only),
 * the policy in the document's metadata and live on every socket, and "off" refusing
 * both AI paths (assist on the socket, @AI in a thread) with `ai-off` before any model call.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { Thread } from "../../shared/comments";
import { api } from "../test-support/api";
import { AiPeer, createDoc } from "./testing/ai-peer";
import { StubControl } from "./testing/stub-control";

const stub = new StubControl((env as unknown as { OPENAI_BASE_URL: string }).OPENAI_BASE_URL);
beforeEach(() => stub.reset({ chunkDelayMs: 1, text: "Stub answer." }));

const setPolicy = (id: string, token: string, ai: unknown) => api("PATCH", `/api/docs/${id}`, token, { ai });

describe("the document's AI policy", () => {
  it("is on by default, set by the owner only, and in every link's metadata", async () => {
    const doc = await createDoc();
    expect((await api("GET", `/api/docs/${doc.id}`, doc.viewToken)).body.ai).toBe("on");
    for (const token of [doc.editToken, doc.commentToken, doc.viewToken]) {
      const refused = await setPolicy(doc.id, token, "off");
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe("forbidden");
    }
    expect((await setPolicy(doc.id, doc.ownerToken, "maybe")).status).toBe(400);
    const set = await setPolicy(doc.id, doc.ownerToken, "suggest");
    expect(set.status).toBe(200);
    expect(set.body.ai).toBe("suggest");
    expect((await api("GET", `/api/docs/${doc.id}`, doc.editToken)).body.ai).toBe("suggest");
    expect((await api("GET", `/api/docs/${doc.id}/access`, doc.viewToken)).body).toMatchObject({ info: { ai: "suggest" } });
  });

  it("reaches open sockets live, and is in the welcome", async () => {
    const doc = await createDoc();
    const editor = await AiPeer.connect(doc.id, doc.editToken);
    expect(editor.messages.find((m) => m.type === "welcome")).toMatchObject({ ai: "on" });
    await setPolicy(doc.id, doc.ownerToken, "off");
    await editor.until(() => editor.messages.some((m) => m.type === "ai-policy" && m.ai === "off"), "ai-policy off");
    const later = await AiPeer.connect(doc.id, doc.viewToken);
    expect(later.messages.find((m) => m.type === "welcome")).toMatchObject({ ai: "off" });
    editor.close();
    later.close();
  });

  it("suggest: answers still come, but only a suggestion is recorded as their outcome", async () => {
    const doc = await createDoc();
    const a = await AiPeer.connect(doc.id, doc.editToken);
    a.write("Some text [stub tag=policy-suggest]");
    await a.saved();
    await setPolicy(doc.id, doc.ownerToken, "suggest");
    a.request("s1", "rewrite", a.all());
    expect(await a.settled("s1")).toMatchObject({ type: "ai-done" });
    a.sendCustom({ type: "ai-outcome", requestId: "s1", outcome: "accepted", landing: "replace" });
    await a.saved();
    const calls = async () =>
      ((await api("GET", `/api/docs/${doc.id}/ai/activity`, doc.ownerToken)).body as { calls: { outcome: string }[] }).calls;
    expect((await calls())[0]!.outcome).toBe("pending");
    a.sendCustom({ type: "ai-outcome", requestId: "s1", outcome: "suggested", landing: "suggestion" });
    await a.saved();
    expect((await calls())[0]!.outcome).toBe("suggested");
    a.close();
  });

  it("off: assist is refused with ai-off, and no model is called", async () => {
    const doc = await createDoc();
    const a = await AiPeer.connect(doc.id, doc.editToken);
    a.write("Some text to rewrite [stub tag=policy-off]");
    await a.saved();
    await setPolicy(doc.id, doc.ownerToken, "off");
    a.request("r1", "rewrite", a.all());
    expect(await a.settled("r1")).toMatchObject({ type: "ai-error", code: "ai-off" });
    // The owner's own socket too: the policy binds every link.
    const owner = await AiPeer.connect(doc.id, doc.ownerToken);
    owner.request("r2", "summarize", owner.all());
    expect(await owner.settled("r2")).toMatchObject({ type: "ai-error", code: "ai-off" });
    expect(await stub.byTag("policy-off")).toEqual([]);
    // Turned on again, the same request runs.
    await setPolicy(doc.id, doc.ownerToken, "on");
    a.request("r3", "rewrite", a.all());
    expect(await a.settled("r3")).toMatchObject({ type: "ai-done" });
    a.close();
    owner.close();
  });

  it("off: @AI in a thread is refused 403 ai-off and nothing is posted; other comments still are", async () => {
    const doc = await createDoc();
    const editor = await AiPeer.connect(doc.id, doc.editToken);
    editor.write("The plan is settled.");
    await editor.saved();
    await setPolicy(doc.id, doc.ownerToken, "off");
    const asked = await api("POST", `/api/docs/${doc.id}/threads`, doc.commentToken, {
      quote: "settled",
      body: "@AI is it? [stub tag=thread-off]",
      author: "Cleo",
    });
    expect(asked.status).toBe(403);
    expect(asked.body.error).toBe("ai-off");
    const plain = await api("POST", `/api/docs/${doc.id}/threads`, doc.commentToken, { quote: "settled", body: "Is it?", author: "Cleo" });
    expect(plain.status).toBe(201);
    const id = (plain.body as unknown as Thread).id;
    const reply = await api("POST", `/api/docs/${doc.id}/threads/${id}/comments`, doc.editToken, { body: "@ai tell me" });
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe("ai-off");
    const list = (await api("GET", `/api/docs/${doc.id}/threads`, doc.viewToken)).body as unknown as { threads: Thread[] };
    expect(list.threads).toHaveLength(1);
    expect(list.threads[0]!.comments).toHaveLength(1);
    expect(await stub.byTag("thread-off")).toEqual([]);
    editor.close();
  });
});
