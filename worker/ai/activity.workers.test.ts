/**
 * The owner's AI activity, inside workerd: each assist call and @AI reply recorded in
 * the document's SQLite with what left for the model and what came back, its outcome
 * decided once by the requester's own connection (`ai-outcome`), the owner-only read,
 * and the bound that drops the oldest calls.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { AiCall } from "../../shared/ai-activity";
import type { Thread } from "../../shared/comments";
import { AI_ACTIVITY_MAX_ANSWERS, AI_ACTIVITY_MAX_CALLS } from "../../shared/limits";
import { api, docStub } from "../test-support/api";
import { AiActivity } from "./activity";
import { AiPeer, createDoc } from "./testing/ai-peer";
import { StubControl, eventually } from "./testing/stub-control";

const stub = new StubControl((env as unknown as { OPENAI_BASE_URL: string }).OPENAI_BASE_URL);
const ANSWER = "A better sentence, streamed.";
beforeEach(() => stub.reset({ chunkDelayMs: 1, text: ANSWER }));

const activity = async (id: string, token: string): Promise<AiCall[]> =>
  ((await api("GET", `/api/docs/${id}/ai/activity`, token)).body as unknown as { calls: AiCall[] }).calls;

describe("AI activity", () => {
  it("records an assist call, and its outcome once the requester decides (once, from its own socket)", async () => {
    const doc = await createDoc();
    const a = await AiPeer.connect(doc.id, doc.editToken);
    a.write("Rewrite this sentence please [stub tag=activity]");
    await a.saved();
    a.request("r1", "rewrite", a.all());
    expect(await a.settled("r1")).toMatchObject({ type: "ai-done" });
    const [req] = await stub.byTag("activity");
    const sent = req!.messages.reduce((n, m) => n + m.content.length, 0);

    let [call] = await activity(doc.id, doc.ownerToken);
    expect(call).toMatchObject({
      via: "assist",
      command: "rewrite",
      model: "stub-model",
      endpoint: new URL((env as unknown as { OPENAI_BASE_URL: string }).OPENAI_BASE_URL).host,
      requestedBy: "Editor",
      charsSent: sent,
      charsReceived: ANSWER.length,
      outcome: "pending",
    });
    expect(call!.decidedBy).toBeUndefined();

    // Another socket cannot decide someone else's call.
    const other = await AiPeer.connect(doc.id, doc.ownerToken);
    other.sendCustom({ type: "ai-outcome", requestId: "r1", outcome: "discarded" });
    a.sendCustom({ type: "ai-outcome", requestId: "r1", outcome: "accepted", landing: "replace" });
    await eventually(async () => (await activity(doc.id, doc.ownerToken))[0]!.outcome !== "pending", "decided");
    [call] = await activity(doc.id, doc.ownerToken);
    expect(call).toMatchObject({ outcome: "accepted", decidedBy: "Editor" });
    // One decision per call: a second one changes nothing.
    a.sendCustom({ type: "ai-outcome", requestId: "r1", outcome: "discarded" });
    await a.saved();
    expect((await activity(doc.id, doc.ownerToken))[0]).toMatchObject({ outcome: "accepted" });

    // The answer as generated, for the attribution check.
    const kept = await runInDurableObject(docStub(doc.id), (_i, state) => new AiActivity(state.storage.sql).answerOf(call!.id));
    expect(kept).toEqual({ text: ANSWER, model: "stub-model", command: "rewrite", requestedBy: "Editor" });
    a.close();
    other.close();
  });

  it("records a failed call as failed, and a malformed outcome is refused", async () => {
    await stub.reset({ status: 500 });
    const doc = await createDoc();
    const a = await AiPeer.connect(doc.id, doc.editToken);
    a.write("Text [stub tag=activity-fail]");
    await a.saved();
    a.request("f1", "fix", a.all());
    expect(await a.settled("f1")).toMatchObject({ type: "ai-error", code: "provider-error" });
    expect((await activity(doc.id, doc.ownerToken))[0]).toMatchObject({ outcome: "failed", charsReceived: 0 });
    a.sendCustom({ type: "ai-outcome", requestId: "f1", outcome: "maybe" });
    await a.until(() => a.errors().includes("bad-message"), "bad-message");
    a.close();
  });

  it("records an @AI reply in a thread as answered, asked by the comment's author", async () => {
    const doc = await createDoc();
    const editor = await AiPeer.connect(doc.id, doc.editToken);
    editor.write("The plan is settled for Q3.");
    await editor.saved();
    const made = await api("POST", `/api/docs/${doc.id}/threads`, doc.commentToken, {
      quote: "settled",
      body: "@AI what does this mean? [stub tag=activity-thread]",
      author: "Cleo",
    });
    expect(made.status).toBe(201);
    const id = (made.body as unknown as Thread).id;
    await eventually(async () => (await activity(doc.id, doc.ownerToken))[0]?.outcome === "answered", "answered");
    const [call] = await activity(doc.id, doc.ownerToken);
    expect(call).toMatchObject({ via: "thread", command: "ask", requestedBy: "Cleo", charsReceived: ANSWER.length, model: "stub-model" });
    expect(call!.charsSent).toBeGreaterThan(0);
    expect(id).toBeTruthy();
    editor.close();
  });

  it("is the owner's alone", async () => {
    const doc = await createDoc();
    expect((await api("GET", `/api/docs/${doc.id}/ai/activity`, doc.ownerToken)).body).toEqual({ calls: [] });
    for (const token of [doc.editToken, doc.commentToken, doc.viewToken]) {
      expect((await api("GET", `/api/docs/${doc.id}/ai/activity`, token)).status).toBe(403);
    }
    expect((await api("GET", `/api/docs/${doc.id}/ai/activity`, null)).status).toBe(401);
  });

  it(`keeps the newest ${AI_ACTIVITY_MAX_CALLS} calls (the oldest dropped) and the answers of the newest ${AI_ACTIVITY_MAX_ANSWERS}`, async () => {
    const doc = await createDoc();
    const ids = await runInDurableObject(docStub(doc.id), (_i, state) => {
      const log = new AiActivity(state.storage.sql);
      const out: string[] = [];
      for (let i = 0; i < AI_ACTIVITY_MAX_CALLS + 5; i++) {
        const id = log.start({
          via: "assist",
          command: "fix",
          model: "m",
          endpoint: "h",
          requestedBy: `p${i}`,
          charsSent: i,
          conn: "c",
          request: `r${i}`,
        });
        log.finished(id, `answer ${i}`);
        out.push(id);
      }
      return out;
    });
    const calls = await activity(doc.id, doc.ownerToken);
    expect(calls).toHaveLength(AI_ACTIVITY_MAX_CALLS);
    expect(calls[0]!.requestedBy).toBe(`p${AI_ACTIVITY_MAX_CALLS + 4}`);
    expect(calls.at(-1)!.requestedBy).toBe("p5");
    const answers = await runInDurableObject(docStub(doc.id), (_i, state) => {
      const log = new AiActivity(state.storage.sql);
      return {
        newest: log.answerOf(ids.at(-1)!),
        oldKept: log.answerOf(ids.at(-AI_ACTIVITY_MAX_ANSWERS)!),
        tooOld: log.answerOf(ids.at(-AI_ACTIVITY_MAX_ANSWERS - 1)!),
      };
    });
    expect(answers.newest?.text).toBe(`answer ${AI_ACTIVITY_MAX_CALLS + 4}`);
    expect(answers.oldKept).not.toBeNull();
    expect(answers.tooOld).toBeNull();
  });
});
