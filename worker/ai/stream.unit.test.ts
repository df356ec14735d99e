/** The real @ai-sdk/openai provider against the local SSE stub: the wire format,
 * first-part error detection, error mapping, mid-stream failure and Stop. */
import { createOpenAI } from "@ai-sdk/openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOpenAIStub, type OpenAIStub } from "../../e2e/support/openai-stub";
import { AiErrorCode } from "../../shared/ai";
import { mapAiError, logDetail } from "./errors";
import { buildPrompt } from "./prompts";
import { streamAnswer } from "./stream";

let stub: OpenAIStub;
const model = () => createOpenAI({ apiKey: "sk-test-secret-key", baseURL: stub.url }).chat("stub-model");
const prompt = buildPrompt("rewrite", {}, "The quick brown fox.");

async function run(signal = new AbortController().signal) {
  const pieces: string[] = [];
  try {
    const outcome = await streamAnswer(model(), prompt, signal, (t) => pieces.push(t));
    return { outcome, text: pieces.join(""), pieces, error: null as unknown };
  } catch (error) {
    return { outcome: null, text: pieces.join(""), pieces, error };
  }
}

beforeAll(async () => {
  stub = await startOpenAIStub();
});
afterAll(() => stub.close());
beforeEach(() => stub.reset({ chunkDelayMs: 1 }));

describe("streamAnswer with the real OpenAI provider", () => {
  it("streams the stub's text in pieces and sends the server-built prompt", async () => {
    stub.configure({ text: "Hello **world**, streamed.", chunkChars: 3 });
    const r = await run();
    expect(r.error).toBeNull();
    expect(r.outcome).toEqual({ reason: "stop", chars: 26 });
    expect(r.text).toBe("Hello **world**, streamed.");
    expect(r.pieces.length).toBeGreaterThan(5);
    const req = stub.requests[0]!;
    expect(req.model).toBe("stub-model");
    expect(req.messages[0]).toMatchObject({ role: "system" });
    expect(req.messages.at(-1)!.content).toContain("<document_text>\nThe quick brown fox.\n</document_text>");
    expect(req.maxTokens).toBeGreaterThan(0);
    expect(req.completed).toBe(true);
  });

  it("reports a 429 as rate-limited with the provider's retry-after", async () => {
    stub.configure({ status: 429, retryAfter: 7 });
    const r = await run();
    expect(r.text).toBe("");
    const m = mapAiError(r.error, "stub-model");
    expect(m).toMatchObject({ code: AiErrorCode.RateLimited, retryAfterMs: 7000, status: 429 });
  });

  it("reports a 401 as not configured, naming the setting, and logs no key", async () => {
    stub.configure({ requireKey: "the-right-key" });
    const r = await run();
    const m = mapAiError(r.error, "stub-model");
    expect(m).toMatchObject({ code: AiErrorCode.NotConfigured, setting: "OPENAI_API_KEY", status: 401 });
    expect(logDetail(r.error)).not.toContain("sk-");
    expect(JSON.stringify(m)).not.toContain("sk-test-secret-key");
  });

  it("reports a 500 as a provider error", async () => {
    stub.configure({ status: 500 });
    const m = mapAiError((await run()).error, "stub-model");
    expect(m).toMatchObject({ code: AiErrorCode.Provider, status: 500 });
  });

  it("reports a 404 as an unknown model, naming AI_MODEL", async () => {
    stub.configure({ status: 404 });
    const m = mapAiError((await run()).error, "stub-model");
    expect(m).toMatchObject({ code: AiErrorCode.Provider, setting: "AI_MODEL" });
  });

  it("fails (not a silent short answer) when the stream breaks mid-way", async () => {
    stub.configure({ text: "x".repeat(200), chunkChars: 10, disconnectAfterChars: 50 });
    const r = await run();
    expect(r.error).not.toBeNull();
    expect(r.text.length).toBe(50);
    expect(mapAiError(r.error, "m").code).toBe(AiErrorCode.Provider);
  });

  it("reports an unreachable provider as a provider error", async () => {
    const dead = createOpenAI({ apiKey: "k", baseURL: "http://127.0.0.1:9/v1" }).chat("m");
    const err = await streamAnswer(dead, prompt, new AbortController().signal, () => {}).catch((e: unknown) => e);
    expect(mapAiError(err, "m")).toMatchObject({ code: AiErrorCode.Provider });
    expect(mapAiError(err, "m").message).toMatch(/reach/);
  });

  it("Stop aborts the upstream HTTP request", async () => {
    stub.configure({ text: "y".repeat(2000), chunkChars: 5, chunkDelayMs: 10 });
    const stop = new AbortController();
    const pending = run(stop.signal);
    await until(() => (stub.requests[0]?.sentChars ?? 0) >= 20);
    stop.abort("stopped by user");
    const r = await pending;
    expect(r.outcome?.reason).toBe("stopped");
    await until(() => stub.requests[0]!.aborted);
    expect(stub.requests[0]!.completed).toBe(false);
    expect(stub.requests[0]!.sentChars).toBeLessThan(2000);
  });
});

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}
