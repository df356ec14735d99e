/**
 * AI assist for one document: admits requests (role, configuration, limits), reads
 * the text from the Durable Object's Y.Doc, runs the model call and streams the
 * answer to the requester only. Nothing here writes to the document: the answer is a
 * suggestion until the requester's own client applies it as an ordinary edit, and says
 * so with `ai-outcome` (recorded in the owner's AI activity, activity.ts).
 */
import type { Connection } from "partyserver";
import type * as Y from "yjs";
import {
  AiErrorCode,
  AiServerMessageType,
  needsSelection,
  type AiFinishReason,
  type AiOutcomeMessage,
  type AiRequest,
  type AiServerMessage,
} from "../../shared/ai";
import { AI_DELTA_INTERVAL_MS, AI_MAX_DELTA_CHARS } from "../../shared/limits";
import { canWrite, type Role } from "../../shared/protocol";
import type { LinkKind } from "../../shared/sharing";
import { errorMessage, log } from "../lib/log";
import type { AiActivity } from "./activity";
import { DeltaBatcher } from "./delta-batcher";
import { logDetail, mapAiError, type MappedError } from "./errors";
import { type AiGate, type AiRefusal, AiSlot } from "./gate";
import { type AiAttributionClaim, decideOutcome } from "./outcome";
import { buildPrompt } from "./prompts";
import { endpointOf, resolveProvider, type AiEnv, type ResolvedProvider } from "./provider";
import { nameOf } from "./requester";
import { readContextBefore, readSelection } from "./selection";
import { AiTimeoutError, streamAnswer } from "./stream";

export interface AiHost {
  env: AiEnv;
  docId(): string;
  doc(): Y.Doc;
  roleOf(conn: Connection): Role;
  /** The link the connection came with (its share of the AI budget). */
  linkOf(conn: Connection): LinkKind;
  /** The document's one AI gate, shared with @AI in threads. */
  aiGate: AiGate;
  /** The owner's record of AI calls (activity.ts). */
  aiActivity: AiActivity;
  /** Set by the room to attribute accepted AI text (the client id it was written with)
   * to the AI; called once per decided call that names a client id (outcome.ts). */
  attribute?(conn: Connection, claim: AiAttributionClaim): void;
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
  slot: AiSlot;
  model?: string;
  /** Its row in the AI activity. */
  callId: string;
}

type Failure = Omit<MappedError, "status"> & { status?: number };

export class AiAssist {
  private readonly running = new Map<string, Running>();
  private provider: ResolvedProvider | null = null;

  constructor(private readonly host: AiHost) {}

  /** Handles an `ai-request`. Never throws: every refusal is a typed `ai-error`. */
  request(conn: Connection, msg: AiRequest): void {
    try {
      const refusal = this.refusal(conn);
      if (refusal) {
        this.fail(conn, msg.requestId, refusal, "refused");
        return;
      }
      const provider = this.resolved();
      if (provider.kind === "none") return; // refusal() already refused
      const text = needsSelection(msg.command)
        ? readSelection(this.host.doc(), msg.range)
        : readContextBefore(this.host.doc(), msg.range.to);
      if (!text.ok) {
        this.fail(conn, msg.requestId, { code: AiErrorCode.BadSelection, message: text.message }, "refused");
        return;
      }
      const prompt = buildPrompt(msg.command, msg.options, text.markdown);
      const slot = this.enter(conn);
      if (!(slot instanceof AiSlot)) {
        this.fail(conn, msg.requestId, slot, "refused");
        return;
      }
      // A person has one answer in progress; asking again replaces the previous one.
      this.stopConnection(conn);
      const model = provider.modelId.slice(0, 80);
      const callId = this.host.aiActivity.start({
        via: "assist",
        command: msg.command,
        model,
        endpoint: endpointOf(provider),
        requestedBy: nameOf(conn),
        charsSent: prompt.instructions.length + prompt.prompt.length,
        conn: conn.id,
        request: msg.requestId,
      });
      const running: Running = { conn, requestId: msg.requestId, controller: new AbortController(), slot, model, callId };
      this.running.set(keyOf(conn, msg.requestId), running);
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

  /** Handles an `ai-outcome`: the requester's decision on its answer (outcome.ts). */
  outcome(conn: Connection, msg: AiOutcomeMessage): void {
    decideOutcome(this.host, conn, msg);
  }

  /** The owner turned AI off: answers being written stop now. */
  stopAll(): void {
    for (const r of this.running.values()) r.controller.abort("ai turned off");
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

  /** Refusals that do not depend on the budget: the role, the configuration. */
  private refusal(conn: Connection): Failure | null {
    const off = this.host.aiGate.closed();
    if (off) return gateFailure(off);
    if (!canWrite(this.host.roleOf(conn))) {
      return { code: AiErrorCode.Forbidden, message: "AI assist needs an edit link; this one is view-only." };
    }
    const provider = this.resolved();
    if (provider.kind === "none") {
      return { code: AiErrorCode.NotConfigured, message: provider.message, setting: provider.setting };
    }
    return null;
  }

  /** Takes a place at the gate (worker/ai/gate.ts); the answers this connection has
   * running are about to be replaced, so they do not count against it. */
  private enter(conn: Connection): AiSlot | Failure {
    const own = [...this.running.values()].filter((r) => r.conn.id === conn.id).map((r) => r.slot);
    const state = (conn.state ?? {}) as AiConnState;
    const entry = this.host.aiGate.enter({ link: this.host.linkOf(conn), person: conn.id, times: state.aiRequestTimes ?? [] }, own);
    if (!entry.ok) return gateFailure(entry);
    conn.setState((prev: unknown) => ({ ...((prev as object | null) ?? {}), aiRequestTimes: entry.times }));
    return entry.slot;
  }

  private async run(
    running: Running,
    provider: Exclude<ResolvedProvider, { kind: "none" }>,
    prompt: ReturnType<typeof buildPrompt>,
  ): Promise<void> {
    const { conn, requestId, controller } = running;
    const started = Date.now();
    let answer = "";
    const batcher = new DeltaBatcher(
      (text) => this.deliver(running, { type: AiServerMessageType.Delta, requestId, text }),
      AI_DELTA_INTERVAL_MS,
      AI_MAX_DELTA_CHARS,
    );
    try {
      const outcome = await streamAnswer(provider.model, prompt, controller.signal, (t) => {
        answer += t;
        batcher.push(t);
      });
      batcher.flush();
      this.host.aiActivity.finished(running.callId, answer);
      this.finish(running, outcome.reason, outcome.chars, started);
    } catch (err) {
      batcher.flush();
      const mapped: MappedError =
        err instanceof AiTimeoutError
          ? { code: AiErrorCode.Provider, message: `${err.message}. Try again, or check the provider.` }
          : mapAiError(err, provider.modelId);
      this.recordFailure(running.callId, answer.length);
      this.fail(conn, requestId, mapped, logDetail(err));
    } finally {
      batcher.cancel();
      running.slot.release();
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

  private recordFailure(callId: string, chars: number): void {
    try {
      this.host.aiActivity.failed(callId, chars);
    } catch (err) {
      log("error", "ai-activity-failed", { doc: this.host.docId(), call: callId, error: errorMessage(err) });
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

/** The gate's refusal as the requester reads it: AI off, or a limit with its wait. */
const gateFailure = (r: AiRefusal): Failure =>
  r.scope === "off"
    ? { code: AiErrorCode.Off, message: r.message }
    : { code: AiErrorCode.RateLimited, retryAfterMs: r.retryAfterMs, message: r.message };
