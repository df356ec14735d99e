/**
 * A local OpenAI-compatible server for tests: POST /v1/chat/completions answers with
 * real Server-Sent Events chunks in OpenAI's wire format, so Quire's real
 * @ai-sdk/openai provider talks to it exactly as to api.openai.com. No model, no
 * network: the answer text, pacing and failures are chosen by the test.
 *
 * Behaviour comes from defaults (constructor or POST /__stub/config) and can be
 * overridden per request by a directive anywhere in the prompt, e.g. a document
 * containing `[stub status=429 retryAfter=7 tag=t1]`. Keys: text, chunkChars,
 * chunkDelayMs, firstDelayMs, status, retryAfter, disconnectAfterChars, tag.
 * (`text` in a directive uses `_` for spaces.)
 *
 * Every request is logged (GET /__stub/requests): the messages it got, whether it
 * completed, and whether the client hung up early (an aborted upstream call).
 *
 * CLI: `npx tsx e2e/support/openai-stub.ts [--port N] [--text "..."] [--chunkDelayMs N]`
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { StubBehaviour, StubRequest } from "../../worker/ai/testing/stub-control";

export type { StubBehaviour, StubRequest };

export const DEFAULT_BEHAVIOUR: StubBehaviour = {
  text: "A clearer, **rewritten** version of the text.",
  chunkChars: 4,
  chunkDelayMs: 10,
  firstDelayMs: 0,
  status: 0,
  retryAfter: 0,
  disconnectAfterChars: -1,
  requireKey: "",
  tag: "",
};

const NUMERIC: (keyof StubBehaviour)[] = ["chunkChars", "chunkDelayMs", "firstDelayMs", "status", "retryAfter", "disconnectAfterChars"];

/** Reads `[stub k=v k=v]` directives out of the prompt. */
export function parseDirectives(prompt: string): Partial<StubBehaviour> {
  const out: Record<string, string | number> = {};
  // Quire sends the selection as Markdown, which escapes brackets and underscores.
  const text = prompt.replace(/\\([[\]_=*\\])/g, "$1");
  for (const m of text.matchAll(/\[stub((?:\s+[A-Za-z]+=[^\s\]]*)*)\s*\]/g)) {
    for (const kv of (m[1] ?? "").trim().split(/\s+/)) {
      const [k, v = ""] = kv.split("=");
      if (!k || !(k in DEFAULT_BEHAVIOUR)) continue;
      out[k] = NUMERIC.includes(k as keyof StubBehaviour) ? Number(v) : k === "text" ? v.replace(/_/g, " ") : v;
    }
  }
  return out as Partial<StubBehaviour>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class OpenAIStub {
  readonly requests: StubRequest[] = [];
  private defaults: StubBehaviour;
  private server: Server;
  url = "";
  port = 0;

  constructor(defaults: Partial<StubBehaviour> = {}) {
    this.defaults = { ...DEFAULT_BEHAVIOUR, ...defaults };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://${host}:${this.port}/v1`;
    return this;
  }

  configure(patch: Partial<StubBehaviour>): void {
    this.defaults = { ...this.defaults, ...patch };
  }

  reset(defaults: Partial<StubBehaviour> = {}): void {
    this.defaults = { ...DEFAULT_BEHAVIOUR, ...defaults };
    this.requests.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Keeps a test process from waiting on the stub to exit. */
  unref(): this {
    this.server.unref();
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stub");
    const body = await readBody(req);
    if (url.pathname === "/__stub/requests") return sendJson(res, 200, this.requests);
    if (url.pathname === "/__stub/config" && req.method === "POST") {
      this.configure(JSON.parse(body || "{}") as Partial<StubBehaviour>);
      return sendJson(res, 200, this.defaults);
    }
    if (url.pathname === "/__stub/reset" && req.method === "POST") {
      this.reset(JSON.parse(body || "{}") as Partial<StubBehaviour>);
      return sendJson(res, 200, this.defaults);
    }
    if (url.pathname !== "/v1/chat/completions" || req.method !== "POST") {
      return sendJson(res, 404, { error: { message: "stub: unknown route", type: "invalid_request_error" } });
    }
    await this.complete(req, res, JSON.parse(body) as ChatBody);
  }

  private async complete(req: IncomingMessage, res: ServerResponse, body: ChatBody): Promise<void> {
    const messages = (body.messages ?? []).map((m) => ({ role: m.role, content: contentText(m.content) }));
    const b = { ...this.defaults, ...parseDirectives(messages.map((m) => m.content).join("\n")) };
    const record: StubRequest = {
      n: this.requests.length + 1,
      tag: b.tag,
      model: body.model,
      authorization: req.headers.authorization ?? "",
      messages,
      maxTokens: body.max_tokens ?? body.max_completion_tokens ?? null,
      receivedAt: Date.now(),
      firstChunkAt: null,
      sentChars: 0,
      completed: false,
      aborted: false,
    };
    this.requests.push(record);
    res.on("close", () => {
      if (!record.completed) record.aborted = true;
    });

    if (b.requireKey && record.authorization !== `Bearer ${b.requireKey}`) {
      return sendJson(res, 401, {
        error: { message: "Incorrect API key provided: sk-stub***.", type: "invalid_request_error", code: "invalid_api_key" },
      });
    }
    if (b.firstDelayMs > 0) await sleep(b.firstDelayMs);
    if (b.status >= 400) {
      const headers: Record<string, string> = b.retryAfter > 0 ? { "retry-after": String(b.retryAfter) } : {};
      return sendJson(
        res,
        b.status,
        { error: { message: `stub error ${b.status}`, type: b.status === 429 ? "rate_limit_exceeded" : "server_error" } },
        headers,
      );
    }

    const id = `chatcmpl-stub${record.n}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
    res.write(chunk({ role: "assistant", content: "" }, null));
    const step = Math.max(1, b.chunkChars);
    for (let i = 0; i < b.text.length; i += step) {
      if (res.destroyed) return;
      if (b.disconnectAfterChars >= 0 && record.sentChars >= b.disconnectAfterChars) {
        record.completed = true; // the stub chose to fail; not a client abort
        res.socket?.destroy();
        return;
      }
      const piece = b.text.slice(i, i + step);
      res.write(chunk({ content: piece }, null));
      record.firstChunkAt ??= Date.now();
      record.sentChars += piece.length;
      if (b.chunkDelayMs > 0) await sleep(b.chunkDelayMs);
    }
    if (res.destroyed) return;
    res.write(chunk({}, "stop"));
    if (body.stream_options?.include_usage) {
      res.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage: { prompt_tokens: 10, completion_tokens: Math.ceil(b.text.length / 4), total_tokens: 10 + Math.ceil(b.text.length / 4) } })}\n\n`,
      );
    }
    res.write("data: [DONE]\n\n");
    record.completed = true;
    res.end();
  }
}

interface ChatBody {
  model: string;
  messages?: { role: string; content: unknown }[];
  max_tokens?: number;
  max_completion_tokens?: number;
  stream_options?: { include_usage?: boolean };
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && "text" in p ? String((p as { text: unknown }).text) : "")).join("");
  }
  return "";
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(value));
}

export async function startOpenAIStub(defaults: Partial<StubBehaviour> = {}, port = 0): Promise<OpenAIStub> {
  return new OpenAIStub(defaults).listen(port);
}

// CLI: run standalone for manual testing (`npm start` against it).
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const defaults: Partial<StubBehaviour> = {};
  const text = arg("text");
  if (text) defaults.text = text;
  for (const k of NUMERIC) {
    const v = arg(k);
    if (v !== undefined) (defaults as Record<string, number>)[k] = Number(v);
  }
  const stub = await startOpenAIStub(defaults, Number(arg("port") ?? 0));
  console.log(`OpenAI-compatible stub listening: OPENAI_BASE_URL=${stub.url}`);
}
