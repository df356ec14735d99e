/** The stub's behaviour and request log, without Node imports, so tests running in
 * workerd can type what they read from the stub's control endpoints. */
import type {} from "vitest";

declare module "vitest" {
  /** Set by openai-stub.global-setup.ts: the stub's OPENAI_BASE_URL. */
  export interface ProvidedContext {
    aiStubUrl: string;
  }
}

export interface StubBehaviour {
  /** The full answer to stream. */
  text: string;
  /** Characters per SSE chunk. */
  chunkChars: number;
  /** Pause between chunks. */
  chunkDelayMs: number;
  /** Pause before the response headers (a slow model's time to first token). */
  firstDelayMs: number;
  /** Answer with this HTTP error status instead of a stream (401, 429, 500…). */
  status: number;
  /** Sent with a 429 as the Retry-After header (seconds). */
  retryAfter: number;
  /** Destroy the socket after streaming this many characters (mid-stream failure). */
  disconnectAfterChars: number;
  /** Required bearer key; empty = any. */
  requireKey: string;
  /** Free label copied into the request log. */
  tag: string;
}

export interface StubRequest {
  n: number;
  tag: string;
  model: string;
  authorization: string;
  messages: { role: string; content: string }[];
  maxTokens: number | null;
  receivedAt: number;
  firstChunkAt: number | null;
  sentChars: number;
  completed: boolean;
  /** The client closed the connection before the answer was complete. */
  aborted: boolean;
}
