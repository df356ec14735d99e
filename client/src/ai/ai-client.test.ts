import { describe, expect, it } from "vitest";
import type YProvider from "y-partyserver/provider";
import { AiClient } from "./ai-client";

/** The bits of the y-partyserver provider AiClient uses. */
class FakeProvider {
  wsconnected = true;
  sent: unknown[] = [];
  private handlers = new Map<string, Set<(arg: never) => void>>();
  on(event: string, f: (arg: never) => void) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(f);
  }
  off(event: string, f: (arg: never) => void) {
    this.handlers.get(event)?.delete(f);
  }
  emit(event: string, arg: unknown) {
    for (const f of this.handlers.get(event) ?? []) (f as (a: unknown) => void)(arg);
  }
  sendMessage(json: string) {
    this.sent.push(JSON.parse(json));
  }
  server(msg: object) {
    this.emit("custom-message", JSON.stringify(msg));
  }
}

const range = {
  from: { type: { client: 1, clock: 0 }, assoc: -1 },
  to: { type: { client: 1, clock: 0 }, item: { client: 1, clock: 4 }, assoc: -1 },
};

function setup() {
  const p = new FakeProvider();
  const c = new AiClient(p as unknown as YProvider);
  c.start("rewrite", {}, range, "text");
  const id = (p.sent[0] as { requestId: string }).requestId;
  return { p, c, id };
}

describe("AiClient", () => {
  it("sends a typed request and gathers the streamed answer", () => {
    const { p, c, id } = setup();
    expect(p.sent[0]).toMatchObject({ type: "ai-request", command: "rewrite", range });
    expect(c.snapshot()?.phase).toBe("waiting");
    p.server({ type: "ai-delta", requestId: id, text: "Hel" });
    p.server({ type: "ai-delta", requestId: "someone-elses", text: "XXX" });
    p.server({ type: "ai-delta", requestId: id, text: "lo" });
    expect(c.snapshot()).toMatchObject({ phase: "streaming", text: "Hello" });
    expect(c.snapshot()?.firstCharAt).not.toBeNull();
    p.server({ type: "ai-done", requestId: id, reason: "stop" });
    expect(c.snapshot()).toMatchObject({ phase: "done", finish: "stop", text: "Hello" });
  });

  it("Stop tells the server and ignores pieces already on their way", () => {
    const { p, c, id } = setup();
    p.server({ type: "ai-delta", requestId: id, text: "Part" });
    c.stop();
    expect(p.sent[1]).toEqual({ type: "ai-stop", requestId: id });
    p.server({ type: "ai-delta", requestId: id, text: "LATE" });
    p.server({ type: "ai-done", requestId: id, reason: "stopped" });
    expect(c.snapshot()).toMatchObject({ phase: "done", finish: "stopped", text: "Part" });
  });

  it("turns a dropped connection mid-stream into a network error", () => {
    const { p, c } = setup();
    p.wsconnected = false;
    p.emit("status", { status: "disconnected" });
    expect(c.snapshot()).toMatchObject({ phase: "error", error: { code: "network" } });
  });

  it("keeps the server's error details (retry-after, setting)", () => {
    const { p, c, id } = setup();
    p.server({ type: "ai-error", requestId: id, code: "not-configured", message: "m", setting: "OPENAI_API_KEY" });
    expect(c.snapshot()?.error).toEqual({ code: "not-configured", message: "m", setting: "OPENAI_API_KEY" });
  });

  it("a new request replaces a running one (and stops it)", () => {
    const { p, c, id } = setup();
    c.start("summarize", {}, range, "text");
    expect(p.sent[1]).toEqual({ type: "ai-stop", requestId: id });
    expect(p.sent[2]).toEqual({ type: "ai-outcome", requestId: id, outcome: "discarded" });
    expect(p.sent[3]).toMatchObject({ type: "ai-request", command: "summarize" });
    p.server({ type: "ai-delta", requestId: id, text: "old" });
    expect(c.snapshot()?.text).toBe("");
  });

  it("refuses to send while offline", () => {
    const p = new FakeProvider();
    p.wsconnected = false;
    const c = new AiClient(p as unknown as YProvider);
    c.start("rewrite", {}, range, "t");
    expect(p.sent).toEqual([]);
    expect(c.snapshot()?.error?.code).toBe("network");
  });

  it("tells the server what became of an answer, once: accepted, or discarded when dropped or replaced", () => {
    const { p, c, id } = setup();
    p.server({ type: "ai-delta", requestId: id, text: "Better." });
    p.server({ type: "ai-done", requestId: id, reason: "stop" });
    c.decide("suggested", "suggestion");
    c.decide("accepted", "replace");
    c.discard();
    expect(p.sent.filter((m) => (m as { type: string }).type === "ai-outcome")).toEqual([
      { type: "ai-outcome", requestId: id, outcome: "suggested", landing: "suggestion" },
    ]);
    c.start("fix", {}, range, "text");
    const second = (p.sent.at(-1) as { requestId: string }).requestId;
    c.start("fix", {}, range, "text");
    expect(p.sent.filter((m) => (m as { type: string }).type === "ai-outcome").at(-1)).toEqual({
      type: "ai-outcome",
      requestId: second,
      outcome: "discarded",
    });
  });

  it("sends no outcome for a request that failed", () => {
    const { p, c, id } = setup();
    p.server({ type: "ai-error", requestId: id, code: "ai-off", message: "The owner turned AI off for this document." });
    expect(c.snapshot()?.error?.code).toBe("ai-off");
    c.discard();
    expect(p.sent.some((m) => (m as { type: string }).type === "ai-outcome")).toBe(false);
  });
});
