import { describe, expect, it } from "vitest";
import { DEFAULT_OPENAI_MODEL, DEFAULT_WORKERS_AI_MODEL, resolveProvider } from "./provider";

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

  it("treats blank settings as unset", () => {
    expect(resolveProvider({ OPENAI_API_KEY: "  ", OPENAI_BASE_URL: "" })).toMatchObject({ kind: "none" });
  });
});
