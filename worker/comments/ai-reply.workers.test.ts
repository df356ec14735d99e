/**
 * "@AI" in a thread, inside workerd, through the real AI SDK against the local SSE
 * stub: the model gets the anchored text and the thread, and its answer is posted in
 * the thread as "AI", live for everyone.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { Thread } from "../../shared/comments";
import { StubControl, eventually } from "../ai/testing/stub-control";
import { api } from "../test-support/api";
import { connect, createDoc } from "../test-support/client";

const stub = new StubControl((env as unknown as { OPENAI_BASE_URL: string }).OPENAI_BASE_URL);
beforeEach(() => stub.reset({ chunkDelayMs: 1, text: "It means the plan is final." }));

const threads = async (id: string, token: string): Promise<Thread[]> =>
  ((await api("GET", `/api/docs/${id}/threads`, token)).body as { threads: Thread[] }).threads;

describe("@AI in a thread", () => {
  it("asks the model with the thread and the anchored text, and posts the answer as AI", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    editor.para().insert(0, "The plan is settled for Q3.");
    await editor.saved();
    const watcher = await connect(doc.id, doc.viewToken);

    const made = await api("POST", `/api/docs/${doc.id}/threads`, doc.commentToken, {
      quote: "settled for Q3",
      body: "Is this final?",
      author: "Cleo",
    });
    const id = (made.body as unknown as Thread).id;
    const asked = await api("POST", `/api/docs/${doc.id}/threads/${id}/comments`, doc.commentToken, {
      body: "@AI what does this mean? [stub tag=thread-ai]",
      author: "Cleo",
    });
    expect(asked.status).toBe(201);

    await eventually(async () => (await threads(doc.id, doc.viewToken))[0]!.comments.length === 3, "AI answer posted");
    const [t] = await threads(doc.id, doc.viewToken);
    expect(t!.comments[2]).toMatchObject({ author: "AI", authorId: null, kind: "ai", body: "It means the plan is final." });
    expect(t!.comments[0]).toMatchObject({ author: "Cleo", kind: "person" });
    const [req] = await stub.byTag("thread-ai");
    const sent = req!.messages.map((m) => m.content).join("\n");
    expect(sent).toContain("<document_text>\nsettled for Q3\n</document_text>");
    expect(sent).toContain("Cleo: Is this final?");
    await watcher.until(() => watcher.messages.filter((m) => m.type === "thread-changed" && m.threadId === id).length >= 3, "live");
    editor.close();
    watcher.close();
  });

  it("does not ask the model for comments that do not start with @AI", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    editor.para().insert(0, "Some words here.");
    await editor.saved();
    const made = await api("POST", `/api/docs/${doc.id}/threads`, doc.editToken, { quote: "words", body: "hi [stub tag=no-ai] @AI later" });
    const id = (made.body as unknown as Thread).id;
    // A later @AI in the same thread does ask, and its request is the only one.
    await api("POST", `/api/docs/${doc.id}/threads/${id}/comments`, doc.editToken, { body: "@ai please [stub tag=yes-ai]" });
    await eventually(async () => (await threads(doc.id, doc.viewToken))[0]!.comments.length === 3, "AI answer posted");
    expect(await stub.byTag("yes-ai")).toHaveLength(1);
    expect((await stub.requests()).length).toBe(1);
    editor.close();
  });
});
