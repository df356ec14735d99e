/** Talks to the OpenAI-compatible stub (e2e/support/openai-stub.ts) over HTTP, so
 * tests in workerd (and in Node) can steer it and read what it received. The stub's
 * JSON types live here, with no Node imports, so both TypeScript projects (worker and
 * node) share one definition. */
import type {} from "vitest";

declare module "vitest" {
  /** Set by e2e/support/openai-stub.global-setup.ts: the stub's OPENAI_BASE_URL. */
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

export class StubControl {
  readonly base: string;

  /** `baseURL` is the OPENAI_BASE_URL (ending in /v1). */
  constructor(readonly baseURL: string) {
    this.base = baseURL.replace(/\/v1\/?$/, "");
  }

  async requests(): Promise<StubRequest[]> {
    return (await (await fetch(`${this.base}/__stub/requests`)).json()) as StubRequest[];
  }

  async byTag(tag: string): Promise<StubRequest[]> {
    return (await this.requests()).filter((r) => r.tag === tag);
  }

  async reset(defaults: Partial<StubBehaviour> = {}): Promise<void> {
    await (await fetch(`${this.base}/__stub/reset`, { method: "POST", body: JSON.stringify(defaults) })).text();
  }

  async configure(patch: Partial<StubBehaviour>): Promise<void> {
    await (await fetch(`${this.base}/__stub/config`, { method: "POST", body: JSON.stringify(patch) })).text();
  }
}

/** Polls an async condition. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
