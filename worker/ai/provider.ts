/**
 * Which model answers AI requests. The one place that decides:
 *  1. OPENAI_API_KEY or OPENAI_BASE_URL set → any OpenAI-compatible server (OpenAI,
 *     Cloudflare AI Gateway, Ollama, vLLM, Groq…) through @ai-sdk/openai's chat API,
 *     which every one of them speaks (/chat/completions). The key is optional for a
 *     server that is not OpenAI's (a local Ollama or vLLM takes none); OpenAI's own
 *     API without a key counts as not configured.
 *  2. Otherwise a Workers AI binding named AI (opt-in in wrangler.toml) → Workers AI.
 *  3. Otherwise: not configured, and the UI says which setting to add.
 * Explicit OPENAI_* settings win so a deployment can switch provider without
 * editing wrangler.toml.
 */
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import { createWorkersAI } from "workers-ai-provider";

/** Settings read from the environment (.dev.vars, `wrangler secret put`, or the
 * shell via `npm start`). Not in wrangler.toml: the key is a secret, and the rest
 * are optional, so `wrangler types` cannot know them. */
export interface AiEnv {
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  AI_MODEL?: string;
  /** `[ai] binding = "AI"` in wrangler.toml. */
  AI?: Ai;
}

/** Small, cheap, good at editing text, and available on every OpenAI account. */
export const DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";
/** Workers AI's fast Llama 3.3 70B: follows editing instructions well and streams quickly. */
export const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

/** Shown when nothing is configured: the exact settings to add. */
export const SETUP_HINT =
  "Set OPENAI_API_KEY (and optionally OPENAI_BASE_URL and AI_MODEL; a local server that takes no key needs only OPENAI_BASE_URL) " +
  "in .dev.vars or your shell for npm start, " +
  "or `wrangler secret put OPENAI_API_KEY` when deployed.";

export type ResolvedProvider =
  | { kind: "openai"; model: LanguageModel; modelId: string; baseURL: string }
  | { kind: "workers-ai"; model: LanguageModel; modelId: string }
  | { kind: "none"; setting: "OPENAI_API_KEY"; message: string };

const clean = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};

const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** OpenAI's own API, which always needs a key (a gateway in front of it brings its own). */
function isOpenAiHost(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname === "api.openai.com";
  } catch {
    return false;
  }
}

/** `fetch` is for tests: what the provider sends. */
export function resolveProvider(env: AiEnv, fetch?: typeof globalThis.fetch): ResolvedProvider {
  const apiKey = clean(env.OPENAI_API_KEY);
  const baseURL = clean(env.OPENAI_BASE_URL)?.replace(/\/+$/, "");
  const configuredModel = clean(env.AI_MODEL);

  if (apiKey || (baseURL && !isOpenAiHost(baseURL))) {
    const modelId = configuredModel ?? DEFAULT_OPENAI_MODEL;
    const openai = createOpenAI({
      // @ai-sdk/openai insists on a key; without one, the placeholder's header is
      // dropped again (a header set to undefined is left out), so a local server that
      // takes no key gets no Authorization at all.
      apiKey: apiKey ?? "none",
      ...(apiKey ? {} : { headers: { Authorization: undefined } as unknown as Record<string, string> }),
      ...(baseURL ? { baseURL } : {}),
      ...(fetch ? { fetch } : {}),
    });
    return { kind: "openai", model: openai.chat(modelId), modelId, baseURL: baseURL ?? OPENAI_BASE_URL };
  }
  if (env.AI) {
    // An AI_MODEL meant for OpenAI (no @cf/ prefix) would fail on Workers AI; ignore it.
    const modelId = configuredModel?.startsWith("@cf/") ? configuredModel : DEFAULT_WORKERS_AI_MODEL;
    const workersai = createWorkersAI({ binding: env.AI });
    return { kind: "workers-ai", model: workersai(modelId), modelId };
  }
  return {
    kind: "none",
    setting: "OPENAI_API_KEY",
    message: `AI is not configured on this server. ${SETUP_HINT}`,
  };
}

/** Where a provider's calls go, for the owner's AI activity: the host only (no path,
 * no credentials), or "workers-ai" for the binding. */
export function endpointOf(p: ResolvedProvider): string {
  if (p.kind === "workers-ai") return "workers-ai";
  if (p.kind === "none") return "";
  try {
    return new URL(p.baseURL).host;
  } catch {
    return "";
  }
}
