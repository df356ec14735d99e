/**
 * Turns whatever the AI SDK or provider threw into one typed error a person can act
 * on. Messages name settings, never values: no key, no URL credentials.
 */
import { APICallError } from "ai";
import { AiErrorCode } from "../../shared/ai";
import { SETUP_HINT } from "./provider";

export interface MappedError {
  code: AiErrorCode;
  message: string;
  retryAfterMs?: number;
  setting?: string;
  /** For the log line only. */
  status?: number;
}

/** When the provider does not say, wait this long after its 429. */
const DEFAULT_PROVIDER_RETRY_MS = 20_000;

function retryAfterMs(headers: Record<string, string> | undefined): number {
  const h = Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number(h["retry-after-ms"]);
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms);
  const raw = h["retry-after"];
  const s = Number(raw);
  if (Number.isFinite(s) && s > 0) return Math.ceil(s * 1000);
  const date = raw ? Date.parse(raw) : NaN;
  if (Number.isFinite(date)) return Math.max(1000, date - Date.now());
  return DEFAULT_PROVIDER_RETRY_MS;
}

/** The SDK wraps retried calls; the interesting error is the last one. */
function unwrap(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const last = (e as { lastError?: unknown }).lastError;
    if (last === undefined) break;
    e = last;
  }
  return e;
}

export function mapAiError(err: unknown, modelId: string): MappedError {
  const e = unwrap(err);
  if (APICallError.isInstance(e)) {
    const status = e.statusCode;
    if (status === 401 || status === 403) {
      return {
        code: AiErrorCode.NotConfigured,
        setting: "OPENAI_API_KEY",
        message: `The AI provider refused the API key (HTTP ${status}). Check OPENAI_API_KEY. ${SETUP_HINT}`,
        status,
      };
    }
    if (status === 429) {
      const wait = retryAfterMs(e.responseHeaders);
      return {
        code: AiErrorCode.RateLimited,
        retryAfterMs: wait,
        message: "The AI provider is rate limiting requests.",
        status,
      };
    }
    if (status === 404) {
      return {
        code: AiErrorCode.Provider,
        setting: "AI_MODEL",
        message: `The AI provider does not know the model "${modelId}" (HTTP 404). Check AI_MODEL and OPENAI_BASE_URL.`,
        status,
      };
    }
    if (status !== undefined && status < 300) {
      return { code: AiErrorCode.Provider, message: "The AI answer broke off: the connection to the provider dropped. Try again.", status };
    }
    if (status === undefined) {
      return { code: AiErrorCode.Provider, message: "Could not reach the AI provider. Check OPENAI_BASE_URL, or try again." };
    }
    return { code: AiErrorCode.Provider, message: `The AI provider failed (HTTP ${status}). Try again in a moment.`, status };
  }
  return { code: AiErrorCode.Provider, message: "The AI answer broke off because of a provider error. Try again." };
}

/** What the log may say about an error. Provider messages can quote part of the key
 * ("Incorrect API key provided: sk-…abcd"), so for API errors only the status is kept. */
export function logDetail(err: unknown): string {
  const e = unwrap(err);
  if (APICallError.isInstance(e)) return `${e.name} ${e.statusCode ?? "no-status"}`;
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return msg.replace(/\b(sk-|Bearer\s+)\S+/gi, "$1[redacted]").slice(0, 200);
}
