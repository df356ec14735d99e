/**
 * @AI in threads goes through the document's one AI gate (worker/ai/gate.ts), like
 * AI assist: a burst from one link starts at most that link's share of calls, the rest
 * are told so (429 + Retry-After, nothing posted), and assist and @AI share the
 * document's cap without one link starving another. The stub counts upstream calls.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { Thread, ThreadResponse } from "../../shared/comments";
import { AI_MAX_CONCURRENT_PER_DOCUMENT, AI_MAX_CONCURRENT_PER_LINK } from "../../shared/limits";
import { AiPeer } from "../ai/testing/ai-peer";
import { StubControl, eventually } from "../ai/testing/stub-control";
import { api } from "../test-support/api";
import { createDoc } from "../test-support/client";

const stub = new StubControl((env as unknown as { OPENAI_BASE_URL: string }).OPENAI_BASE_URL);
// Slow answers (~3 s): every admitted call is still running when the burst ends.
beforeEach(() => stub.reset({ text: "Slowly, an answer.", chunkChars: 2, chunkDelayMs: 300 }));

async function setup(text: string) {
  const doc = await createDoc();
  const editor = await AiPeer.connect(doc.id, doc.editToken);
  editor.write(text);
  await editor.saved();
  const base = `/api/docs/${doc.id}/threads`;
  const t = (await api("POST", base, doc.editToken, { quote: text.split(" ")[0]!, body: "Context." })).body as unknown as Thread;
  return { doc, editor, base, thread: t.id };
}

describe("@AI through the AI gate", () => {
  it("20 @AI comments at once from a comment link start at most the link's share upstream; the rest get 429 + Retry-After", async () => {
    const { doc, editor, base, thread } = await setup("Burst of questions");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api("POST", `${base}/${thread}/comments`, doc.commentToken, { body: `@AI question ${i} [stub tag=burst]`, author: `Bot ${i}` }),
      ),
    );
    const admitted = results.filter((r) => r.status === 201).length;
    const refused = results.filter((r) => r.status === 429);
    const upstream = (await stub.byTag("burst")).length;
    console.log(JSON.stringify({ burst: { sent: 20, admitted, refused: refused.length, upstream } }));
    expect(upstream).toBeLessThanOrEqual(AI_MAX_CONCURRENT_PER_LINK);
    expect(admitted).toBe(upstream);
    expect(refused).toHaveLength(20 - admitted);
    for (const r of refused) {
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(r.body).toMatchObject({ error: "rate-limited", message: expect.stringMatching(/AI is busy/) });
    }
    // A refused question was not posted: the thread holds the admitted ones and, later, their answers.
    await eventually(
      async () => {
        const t = (await api("GET", `${base}/${thread}`, doc.viewToken)).body as unknown as ThreadResponse;
        return t.comments.filter((c) => c.kind === "ai").length === admitted;
      },
      "answers posted",
      20_000,
    );
    const t = (await api("GET", `${base}/${thread}`, doc.viewToken)).body as unknown as ThreadResponse;
    expect(t.comments).toHaveLength(1 + 2 * admitted);
    expect(t.comments.filter((c) => c.kind === "ai").every((c) => c.author === "AI" && c.authorId === null)).toBe(true);
    editor.close();
  }, 30_000);

  it("assist and @AI share the document's cap; a flooding link leaves the others their slot", async () => {
    const { doc, editor, base, thread } = await setup("Shared cap here");
    const upstream = async () => (await stub.requests()).length;
    // The comment link floods: it gets its share, no more.
    const flood = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api("POST", `${base}/${thread}/comments`, doc.commentToken, { body: `@AI flood ${i}` })),
    );
    expect(flood.filter((r) => r.status === 201)).toHaveLength(AI_MAX_CONCURRENT_PER_LINK);
    // An editor's assist still gets a slot: the document's last one.
    editor.request("a1", "rewrite", editor.all());
    await eventually(async () => (await upstream()) === AI_MAX_CONCURRENT_PER_DOCUMENT, "the cap running");
    // Now the document is full, for assist and for @AI alike.
    const second = await AiPeer.connect(doc.id, doc.ownerToken);
    second.request("a2", "rewrite", second.all());
    const err = await second.settled("a2");
    expect(err).toMatchObject({ type: "ai-error", code: "rate-limited", retryAfterMs: 3000 });
    const owner = await api("POST", `${base}/${thread}/comments`, doc.ownerToken, { body: "@AI and me?" });
    expect(owner.status).toBe(429);
    expect(owner.headers.get("retry-after")).toBe("3");
    expect(await upstream()).toBe(AI_MAX_CONCURRENT_PER_DOCUMENT);
    // When the answers are done, the owner's ask goes through.
    expect(await editor.settled("a1", 20_000)).toMatchObject({ type: "ai-done" });
    await eventually(
      async () => (await api("POST", `${base}/${thread}/comments`, doc.ownerToken, { body: "@AI now?" })).status === 201,
      "a free slot",
      20_000,
    );
    editor.close();
    second.close();
  }, 40_000);
});
