/**
 * One model call: streamText, read part by part. Nothing is reported as started
 * until a text part has arrived: with the AI SDK a provider's 429 or 500 shows up as
 * an "error" part in an otherwise empty stream, so success must be proven, not assumed.
 */
import { streamText, type LanguageModel } from "ai";
import type { AiFinishReason } from "../../shared/ai";
import { AI_FIRST_TOKEN_TIMEOUT_MS, AI_MAX_OUTPUT_TOKENS, AI_TOTAL_TIMEOUT_MS } from "../../shared/limits";
import type { Prompt } from "./prompts";

export class AiTimeoutError extends Error {
  constructor(readonly phase: "first-token" | "total") {
    super(phase === "first-token" ? "No answer from the model in time" : "The answer took too long");
  }
}

export interface StreamOutcome {
  reason: AiFinishReason;
  chars: number;
}

/**
 * Streams the answer to `onText`. Resolves with how it ended; rejects with the
 * provider's error (or AiTimeoutError). `stop` aborts the upstream HTTP request.
 */
export async function streamAnswer(
  model: LanguageModel,
  prompt: Prompt,
  stop: AbortSignal,
  onText: (text: string) => void,
): Promise<StreamOutcome> {
  const upstream = new AbortController();
  let timedOut: AiTimeoutError | null = null;
  const abortFor = (err: AiTimeoutError) => {
    timedOut = err;
    upstream.abort(err);
  };
  const onStop = () => upstream.abort(stop.reason);
  stop.addEventListener("abort", onStop);
  // Timers only while a call is in flight; both are cleared in `finally`.
  let firstToken: ReturnType<typeof setTimeout> | undefined = setTimeout(
    () => abortFor(new AiTimeoutError("first-token")),
    AI_FIRST_TOKEN_TIMEOUT_MS,
  );
  const total = setTimeout(() => abortFor(new AiTimeoutError("total")), AI_TOTAL_TIMEOUT_MS);

  let chars = 0;
  let finish: AiFinishReason = "stop";
  try {
    if (stop.aborted) return { reason: "stopped", chars };
    const result = streamText({
      model,
      instructions: prompt.instructions,
      prompt: prompt.prompt,
      maxOutputTokens: AI_MAX_OUTPUT_TOKENS,
      temperature: 0.4,
      // A retry would hide the provider's answer (429 with retry-after) behind seconds
      // of silence; the person has a Retry button.
      maxRetries: 0,
      abortSignal: upstream.signal,
      // Errors arrive as "error" parts below and are answered there; the SDK's
      // default would also print the whole request body to the log.
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      switch (part.type) {
        case "text-delta":
          if (!part.text) break;
          if (firstToken !== undefined) {
            clearTimeout(firstToken);
            firstToken = undefined;
          }
          chars += part.text.length;
          onText(part.text);
          break;
        case "error":
          throw part.error;
        case "abort":
          if (timedOut) throw timedOut;
          return { reason: "stopped", chars };
        case "finish":
          finish = part.finishReason === "length" ? "length" : "stop";
          break;
        default:
          break;
      }
    }
    if (timedOut) throw timedOut;
    if (stop.aborted) return { reason: "stopped", chars };
    return { reason: finish, chars };
  } catch (err) {
    if (timedOut) throw timedOut;
    if (stop.aborted) return { reason: "stopped", chars };
    throw err;
  } finally {
    if (firstToken !== undefined) clearTimeout(firstToken);
    clearTimeout(total);
    stop.removeEventListener("abort", onStop);
  }
}
