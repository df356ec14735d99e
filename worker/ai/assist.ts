/**
 * AI assist for one document: admits requests (role, configuration, limits), reads
 * the text from the Durable Object's Y.Doc, runs the model call and streams the
 * answer to the requester only. Nothing here writes to the document: the answer is a
 * suggestion until the requester's own client applies it as an ordinary edit.
 */
import type { Connection } from "partyserver";
import type * as Y from "yjs";
import {
  AiErrorCode,
  AiServerMessageType,
  needsSelection,
  type AiFinishReason,
  type AiRequest,
  type AiServerMessage,
} from "../../shared/ai";
import {
  AI_BUSY_RETRY_AFTER_MS,
  AI_DELTA_INTERVAL_MS,
  AI_MAX_CONCURRENT_PER_DOCUMENT,
  AI_MAX_DELTA_CHARS,
  AI_REQUESTS_PER_MINUTE_PER_CONNECTION,
  AI_REQUESTS_PER_MINUTE_PER_DOCUMENT,
} from "../../shared/limits";
import { canWrite, type Role } from "../../shared/protocol";
import { errorMessage, log } from "../lib/log";
import { DeltaBatcher } from "./delta-batcher";
import { logDetail, mapAiError, type MappedError } from "./errors";
import { admit } from "./limiter";
import { buildPrompt } from "./prompts";
import { resolveProvider, type AiEnv, type ResolvedProvider } from "./provider";
import { readContextBefore, readSelection } from "./selection";
import { AiTimeoutError, streamAnswer } from "./stream";

const MINUTE_MS = 60_000;

export interface AiHost {
  env: AiEnv;
  docId(): string;
  doc(): Y.Doc;
  roleOf(conn: Connection): Role;
  send(conn: Connection, msg: AiServerMessage): void;
  /** Keeps the runtime from dropping the call's promise. */
  waitUntil(p: Promise<unknown>): void;
}

/** Kept in the connection's state (survives hibernation, unlike a Map here). */
interface AiConnState {
  aiRequestTimes?: number[];
}

interface Running {
  conn: Connection;
  requestId: string;
  controller: AbortController;
  model?: string;
}

type Failure = Omit<MappedError, "status"> & { status?: number };

export class AiAssist {
  private readonly running = new Map<string, Running>();
  private docRequestTimes: number[] = [];
  private provider: ResolvedProvider | null = null;

  constructor(private readonly host: AiHost) {}

  /** Handles an `ai-request`. Never throws: every refusal is a typed `ai-error`. */
  request(conn: Connection, msg: AiRequest): void {
    try {
      const refusal = this.admit(conn);
      if (refusal) {
        this.fail(conn, msg.requestId, refusal, "refused");
        return;
      }
      const provider = this.resolved();
      if (provider.kind === "none") return; // admit() already refused
      const text = needsSelection(msg.command)
        ? readSelection(this.host.doc(), msg.range)
        : readContextBefore(this.host.doc(), msg.range.to);
      if (!text.ok) {
        this.fail(conn, msg.requestId, { code: AiErrorCode.BadSelection, message: text.message }, "refused");
        return;
      }
      // A person has one answer in progress; asking again replaces the previous one.
      this.stopConnection(conn);
      const running: Running = { conn, requestId: msg.requestId, controller: new AbortController(), model: provider.modelId.slice(0, 80) };
      this.running.set(keyOf(conn, msg.requestId), running);
      const prompt = buildPrompt(msg.command, msg.options, text.markdown);
      log("info", "ai-start", {
        doc: this.host.docId(),
        conn: conn.id,
        request: msg.requestId,
        command: msg.command,
        chars: text.chars,
        provider: provider.kind,
        model: provider.modelId,
      });
      this.host.waitUntil(this.run(running, provider, prompt));
    } catch (err) {
      log("error", "ai-request-failed", { doc: this.host.docId(), conn: conn.id, error: errorMessage(err) });
      this.fail(conn, msg.requestId, { code: AiErrorCode.Internal, message: "Quire could not start the AI request." }, "internal");
    }
  }

  /** Handles an `ai-stop`: aborts the upstream call; the run reports "stopped". */
  stop(conn: Connection, requestId: string): void {
    this.running.get(keyOf(conn, requestId))?.controller.abort("stopped by user");
  }

  /** The requester left: nobody will read the answer, so stop paying for it. */
  closed(conn: Connection): void {
    this.stopConnection(conn);
  }

  private stopConnection(conn: Connection): void {
    for (const r of this.running.values()) if (r.conn.id === conn.id) r.controller.abort("superseded");
  }

  private resolved(): ResolvedProvider {
    this.provider ??= resolveProvider(this.host.env);
    return this.provider;
  }

  private admit(conn: Connection): Failure | null {
    if (!canWrite(this.host.roleOf(conn))) {
      return { code: AiErrorCode.Forbidden, message: "AI assist needs an edit link; this one is view-only." };
    }
    const provider = this.resolved();
    if (provider.kind === "none") {
      return { code: AiErrorCode.NotConfigured, message: provider.message, setting: provider.setting };
    }
    const own = [...this.running.values()].filter((r) => r.conn.id === conn.id).length;
    if (this.running.size - own >= AI_MAX_CONCURRENT_PER_DOCUMENT) {
      return {
        code: AiErrorCode.RateLimited,
        retryAfterMs: AI_BUSY_RETRY_AFTER_MS,
        message: `${AI_MAX_CONCURRENT_PER_DOCUMENT} AI answers are already being written in this document.`,
      };
    }
    const now = Date.now();
    const state = (conn.state ?? {}) as AiConnState;
    const perConn = admit(state.aiRequestTimes ?? [], now, AI_REQUESTS_PER_MINUTE_PER_CONNECTION, MINUTE_MS);
    if (!perConn.ok) {
      return {
        code: AiErrorCode.RateLimited,
        retryAfterMs: perConn.retryAfterMs,
        message: `You can make ${AI_REQUESTS_PER_MINUTE_PER_CONNECTION} AI requests per minute.`,
      };
    }
    const perDoc = admit(this.docRequestTimes, now, AI_REQUESTS_PER_MINUTE_PER_DOCUMENT, MINUTE_MS);
    if (!perDoc.ok) {
      return {
        code: AiErrorCode.RateLimited,
        retryAfterMs: perDoc.retryAfterMs,
        message: `This document has reached its ${AI_REQUESTS_PER_MINUTE_PER_DOCUMENT} AI requests per minute.`,
      };
    }
    this.docRequestTimes = perDoc.times;
    conn.setState((prev: unknown) => ({ ...((prev as object | null) ?? {}), aiRequestTimes: perConn.times }));
    return null;
  }

  private async run(
    running: Running,
    provider: Exclude<ResolvedProvider, { kind: "none" }>,
    prompt: ReturnType<typeof buildPrompt>,
  ): Promise<void> {
    const { conn, requestId, controller } = running;
    const started = Date.now();
    const batcher = new DeltaBatcher(
      (text) => this.deliver(running, { type: AiServerMessageType.Delta, requestId, text }),
      AI_DELTA_INTERVAL_MS,
      AI_MAX_DELTA_CHARS,
    );
    try {
      const outcome = await streamAnswer(provider.model, prompt, controller.signal, (t) => batcher.push(t));
      batcher.flush();
      this.finish(running, outcome.reason, outcome.chars, started);
    } catch (err) {
      batcher.flush();
      const mapped: MappedError =
        err instanceof AiTimeoutError
          ? { code: AiErrorCode.Provider, message: `${err.message}. Try again, or check the provider.` }
          : mapAiError(err, provider.modelId);
      this.fail(conn, requestId, mapped, logDetail(err));
    } finally {
      batcher.cancel();
      this.running.delete(keyOf(conn, requestId));
    }
  }

  private finish(running: Running, reason: AiFinishReason, chars: number, started: number): void {
    log("info", "ai-done", {
      doc: this.host.docId(),
      conn: running.conn.id,
      request: running.requestId,
      reason,
      chars,
      ms: Date.now() - started,
    });
    this.deliver(running, {
      type: AiServerMessageType.Done,
      requestId: running.requestId,
      reason,
      ...(running.model ? { model: running.model } : {}),
    });
  }

  /** Sends to the requester; a socket that is gone ends the call. */
  private deliver(running: Running, msg: AiServerMessage): void {
    try {
      this.host.send(running.conn, msg);
    } catch {
      running.controller.abort("requester gone");
    }
  }

  private fail(conn: Connection, requestId: string, f: Failure, detail: string): void {
    log(f.code === AiErrorCode.Internal ? "error" : "warn", "ai-error", {
      doc: this.host.docId(),
      conn: conn.id,
      request: requestId,
      code: f.code,
      status: f.status,
      detail,
    });
    try {
      this.host.send(conn, {
        type: AiServerMessageType.Error,
        requestId,
        code: f.code,
        message: f.message,
        ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
        ...(f.setting ? { setting: f.setting } : {}),
      });
    } catch {
      /* the requester is gone; nothing to tell */
    }
  }
}

const keyOf = (conn: Connection, requestId: string) => `${conn.id}\u0000${requestId}`;
