/**
 * The requester's side of AI assist: sends a request over the document's WebSocket,
 * gathers the streamed answer, and knows how it ended. One answer at a time per tab
 * (a new request replaces the old one, as on the server). React reads `snapshot`.
 */
import type YProvider from "y-partyserver/provider";
import type { AiLanding } from "../../../shared/authorship";
import {
  AiClientMessageType,
  aiRequestSchema,
  type AiCommand,
  type AiDecision,
  type AiErrorCode,
  type AiFinishReason,
  type AiOptions,
} from "../../../shared/ai";
import { randomId } from "../../../shared/ids";
import { parseServerMessage } from "../../../shared/protocol";
import type { RelRange } from "./positions";

export type AiPhase = "waiting" | "streaming" | "done" | "error";

export interface AiError {
  code: AiErrorCode | "network";
  message: string;
  retryAfterMs?: number;
  setting?: string;
}

export interface AiRun {
  requestId: string;
  command: AiCommand;
  options: AiOptions;
  range: RelRange;
  /** The selected text when the request was made (for the conflict check). */
  original: string;
  text: string;
  phase: AiPhase;
  finish: AiFinishReason | null;
  error: AiError | null;
  /** The model that answered (from the server's done message). */
  model?: string;
  /** performance.now() when sent, and when the first character arrived. */
  sentAt: number;
  firstCharAt: number | null;
  /** The requester's decision was sent (the owner's AI activity records it once). */
  decided: boolean;
}

export class AiClient {
  private run: AiRun | null = null;
  private listeners = new Set<() => void>();

  constructor(private readonly provider: YProvider) {
    provider.on("custom-message", this.onMessage);
    provider.on("status", this.onStatus);
  }

  readonly subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  readonly snapshot = (): AiRun | null => this.run;

  start(command: AiCommand, options: AiOptions, range: RelRange, original: string): void {
    if (this.run && this.isActive()) this.stop();
    // A new request replaces the answer on screen: that one was discarded.
    this.decide("discarded");
    const requestId = randomId(9);
    const msg = { type: AiClientMessageType.Request, requestId, command, options, range };
    const checked = aiRequestSchema.safeParse(msg);
    this.set({
      requestId,
      command,
      options,
      range,
      original,
      text: "",
      phase: "waiting",
      finish: null,
      error: null,
      sentAt: performance.now(),
      firstCharAt: null,
      decided: false,
    });
    if (!checked.success) {
      this.patch({ phase: "error", error: { code: "bad-selection", message: "That request is not valid." } });
      return;
    }
    if (!this.provider.wsconnected) {
      this.patch({ phase: "error", error: { code: "network", message: "You are offline. AI needs a connection to the server." } });
      return;
    }
    this.provider.sendMessage(JSON.stringify(checked.data));
  }

  stop(): void {
    const r = this.run;
    if (!r || !this.isActive()) return;
    if (this.provider.wsconnected) {
      this.provider.sendMessage(JSON.stringify({ type: AiClientMessageType.Stop, requestId: r.requestId }));
    }
    this.patch({ phase: "done", finish: "stopped" });
  }

  discard(): void {
    this.stop();
    this.decide("discarded");
    this.set(null);
  }

  /** Tells the server what became of the answer (once per answer; a request that
   * failed or never reached the server has nothing to decide). The client id the
   * answer was written with lets the server attribute that text to the AI. */
  decide(outcome: AiDecision, landing?: AiLanding, clientId?: number): void {
    const r = this.run;
    if (!r || r.decided || r.phase === "error" || !this.provider.wsconnected) return;
    this.patch({ decided: true });
    this.provider.sendMessage(
      JSON.stringify({
        type: AiClientMessageType.Outcome,
        requestId: r.requestId,
        outcome,
        ...(landing ? { landing } : {}),
        ...(clientId !== undefined ? { clientId } : {}),
      }),
    );
  }

  isActive(): boolean {
    return this.run?.phase === "waiting" || this.run?.phase === "streaming";
  }

  destroy(): void {
    this.provider.off("custom-message", this.onMessage);
    this.provider.off("status", this.onStatus);
    this.listeners.clear();
  }

  private readonly onMessage = (raw: string): void => {
    const msg = parseServerMessage(raw);
    const r = this.run;
    if (!msg || !r) return;
    if (msg.type === "error" && msg.code === "bad-message" && r.phase === "waiting") {
      // The server could not read our request (e.g. a client/server version mismatch).
      this.patch({
        phase: "error",
        error: { code: "internal", message: "The server did not understand the AI request. Reload the page." },
      });
      return;
    }
    if (!("requestId" in msg) || msg.requestId !== r.requestId) return;
    // A stopped answer stays as it is, even if a last piece was already on its way.
    if (r.finish === "stopped") return;
    switch (msg.type) {
      case "ai-delta":
        this.patch({ text: r.text + msg.text, phase: "streaming", firstCharAt: r.firstCharAt ?? performance.now() });
        return;
      case "ai-done":
        this.patch({ phase: "done", finish: msg.reason, ...(msg.model ? { model: msg.model } : {}) });
        return;
      case "ai-error":
        this.patch({
          phase: "error",
          error: {
            code: msg.code,
            message: msg.message,
            ...(msg.retryAfterMs !== undefined ? { retryAfterMs: msg.retryAfterMs } : {}),
            ...(msg.setting ? { setting: msg.setting } : {}),
          },
        });
        return;
    }
  };

  private readonly onStatus = ({ status }: { status: string }): void => {
    if (status === "connected" || !this.isActive()) return;
    // The server stops the call when our socket goes; say so instead of waiting forever.
    this.patch({
      phase: "error",
      error: { code: "network", message: "The connection dropped while the AI was writing. Retry when you are back online." },
    });
  };

  private set(run: AiRun | null): void {
    this.run = run;
    for (const l of this.listeners) l();
  }

  private patch(p: Partial<AiRun>): void {
    if (this.run) this.set({ ...this.run, ...p });
  }
}
