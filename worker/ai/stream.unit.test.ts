/** The real @ai-sdk/openai provider against the local SSE stub: the wire format,
 * first-part error detection, error mapping, mid-stream failure and Stop. */
import { createOpenAI } from "@ai-sdk/openai";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { AiErrorCode } from "../../shared/ai";
import { mapAiError, logDetail } from "./errors";
import { buildPrompt } from "./prompts";
import { streamAnswer } from "./stream";
import { StubControl, eventually } from "./testing/stub-control";

// Started by e2e/support/openai-stub.global-setup.ts.
const stub = new StubControl(inject("aiStubUrl"));
const model = () => createOpenAI({ apiKey: "sk-test-secret-key", baseURL: stub.baseURL }).chat("stub-model");
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

beforeEach(() => stub.reset({ chunkDelayMs: 1 }));

describe("streamAnswer with the real OpenAI provider", () => {
  it("streams the stub's text in pieces and sends the server-built prompt", async () => {
    await stub.configure({ text: "Hello **world**, streamed.", chunkChars: 3 });
    const r = await run();
    expect(r.error).toBeNull();
    expect(r.outcome).toEqual({ reason: "stop", chars: 26 });
    expect(r.text).toBe("Hello **world**, streamed.");
    expect(r.pieces.length).toBeGreaterThan(5);
    const [req] = await stub.requests();
    if (!req) throw new Error("the stub got no request");
    expect(req.model).toBe("stub-model");
    expect(req.messages[0]).toMatchObject({ role: "system" });
    expect(req.messages.at(-1)!.content).toContain("<document_text>\nThe quick brown fox.\n</document_text>");
    expect(req.maxTokens).toBeGreaterThan(0);
    expect(req.completed).toBe(true);
  });

  it("reports a 429 as rate-limited with the provider's retry-after", async () => {
    await stub.configure({ status: 429, retryAfter: 7 });
    const r = await run();
    expect(r.text).toBe("");
    const m = mapAiError(r.error, "stub-model");
    expect(m).toMatchObject({ code: AiErrorCode.RateLimited, retryAfterMs: 7000, status: 429 });
  });

  it("reports a 401 as not configured, naming the setting, and logs no key", async () => {
    await stub.configure({ requireKey: "the-right-key" });
    const r = await run();
    const m = mapAiError(r.error, "stub-model");
    expect(m).toMatchObject({ code: AiErrorCode.NotConfigured, setting: "OPENAI_API_KEY", status: 401 });
    expect(logDetail(r.error)).not.toContain("sk-");
    expect(JSON.stringify(m)).not.toContain("sk-test-secret-key");
  });

  it("reports a 500 as a provider error", async () => {
    await stub.configure({ status: 500 });
    const m = mapAiError((await run()).error, "stub-model");
    expect(m).toMatchObject({ code: AiErrorCode.Provider, status: 500 });
  });

  it("reports a 404 as an unknown model, naming AI_MODEL", async () => {
    await stub.configure({ status: 404 });
    const m = mapAiError((await run()).error, "stub-model");
    expect(m).toMatchObject({ code: AiErrorCode.Provider, setting: "AI_MODEL" });
  });

  it("fails (not a silent short answer) when the stream breaks mid-way", async () => {
    await stub.configure({ text: "x".repeat(200), chunkChars: 10, disconnectAfterChars: 50 });
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
    await stub.configure({ text: "y".repeat(2000), chunkChars: 5, chunkDelayMs: 10 });
    const stop = new AbortController();
    const pending = run(stop.signal);
    await eventually(async () => ((await stub.requests())[0]?.sentChars ?? 0) >= 20, "20 chars sent");
    stop.abort("stopped by user");
    const r = await pending;
    expect(r.outcome?.reason).toBe("stopped");
    await eventually(async () => (await stub.requests())[0]?.aborted === true, "upstream aborted");
    const [req] = await stub.requests();
    expect(req?.completed).toBe(false);
    expect(req?.sentChars).toBeLessThan(2000);
  });
});
