import { generateText, type LanguageModel } from "ai";
import { describe, expect, it } from "vitest";
import { DEFAULT_OPENAI_MODEL, DEFAULT_WORKERS_AI_MODEL, endpointOf, resolveProvider } from "./provider";

const fakeAi = {} as Ai;

describe("resolveProvider", () => {
  it("is not configured without settings, and names the setting to add", () => {
    const r = resolveProvider({});
    expect(r).toMatchObject({ kind: "none", setting: "OPENAI_API_KEY" });
    if (r.kind === "none") expect(r.message).toMatch(/OPENAI_API_KEY.*\.dev\.vars.*wrangler secret put/);
  });

  it("uses an OpenAI-compatible server when a key or base URL is set", () => {
    expect(resolveProvider({ OPENAI_API_KEY: "k" })).toMatchObject({ kind: "openai", modelId: DEFAULT_OPENAI_MODEL });
    const ollama = resolveProvider({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1/", AI_MODEL: "llama3.2" });
    expect(ollama).toMatchObject({ kind: "openai", modelId: "llama3.2", baseURL: "http://127.0.0.1:11434/v1" });
  });

  it("uses the Workers AI binding only when no OPENAI_* setting is given", () => {
    expect(resolveProvider({ AI: fakeAi })).toMatchObject({ kind: "workers-ai", modelId: DEFAULT_WORKERS_AI_MODEL });
    expect(resolveProvider({ AI: fakeAi, AI_MODEL: "@cf/meta/llama-3.1-8b-instruct" })).toMatchObject({
      kind: "workers-ai",
      modelId: "@cf/meta/llama-3.1-8b-instruct",
    });
    expect(resolveProvider({ AI: fakeAi, OPENAI_API_KEY: "k", AI_MODEL: "gpt-x" })).toMatchObject({ kind: "openai", modelId: "gpt-x" });
  });

  it("needs no key for a server that is not OpenAI's, and then sends no Authorization header", async () => {
    const sent: Headers[] = [];
    const fetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Headers(init?.headers));
      const answer = { choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }] };
      return new Response(JSON.stringify(answer), { headers: { "content-type": "application/json" } });
    }) as typeof globalThis.fetch;
    const ask = async (model: LanguageModel) => (await generateText({ model, prompt: "hi" })).text;

    const local = resolveProvider({ OPENAI_BASE_URL: "http://127.0.0.1:8080/v1" }, fetch);
    expect(local.kind).toBe("openai");
    if (local.kind === "openai") expect(await ask(local.model)).toBe("ok");
    expect(sent[0]!.has("authorization")).toBe(false);

    const keyed = resolveProvider({ OPENAI_BASE_URL: "http://127.0.0.1:8080/v1", OPENAI_API_KEY: "sk-local" }, fetch);
    if (keyed.kind === "openai") await ask(keyed.model);
    expect(sent[1]!.get("authorization")).toBe("Bearer sk-local");

    // OpenAI's own API without a key is not configured (it would only answer 401).
    expect(resolveProvider({ OPENAI_BASE_URL: "https://api.openai.com/v1/" })).toMatchObject({ kind: "none", setting: "OPENAI_API_KEY" });
  });

  it("treats blank settings as unset", () => {
    expect(resolveProvider({ OPENAI_API_KEY: "  ", OPENAI_BASE_URL: "" })).toMatchObject({ kind: "none" });
  });
});

describe("endpointOf", () => {
  it("names the provider's host only: no path, no credentials", () => {
    expect(endpointOf(resolveProvider({ OPENAI_API_KEY: "k" }))).toBe("api.openai.com");
    expect(endpointOf(resolveProvider({ OPENAI_BASE_URL: "https://user:pw@gw.example.com:8443/v1/acct/openai" }))).toBe(
      "gw.example.com:8443",
    );
    expect(endpointOf(resolveProvider({ AI: fakeAi }))).toBe("workers-ai");
    expect(endpointOf(resolveProvider({}))).toBe("");
  });
});
