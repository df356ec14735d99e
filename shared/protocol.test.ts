import { describe, expect, it } from "vitest";
import { parseClientMessage, parseServerMessage } from "./protocol";

describe("parseClientMessage", () => {
  it("accepts a well-formed sync-check", () => {
    expect(parseClientMessage('{"type":"sync-check","seq":3}')).toEqual({ type: "sync-check", seq: 3 });
  });
  it.each([
    ["junk", "{not json"],
    ["unknown type", '{"type":"launch-missiles"}'],
    ["wrong field type", '{"type":"sync-check","seq":"3"}'],
    ["negative seq", '{"type":"sync-check","seq":-1}'],
    ["fractional seq", '{"type":"sync-check","seq":1.5}'],
    ["array", "[1,2]"],
    ["null", "null"],
    ["oversized", `{"type":"sync-check","seq":1,"pad":"${"x".repeat(20_000)}"}`],
  ])("returns null for %s", (_name, text) => {
    expect(parseClientMessage(text)).toBeNull();
  });
  it("reads an AI answer's outcome, and refuses one that is not a decision", () => {
    const ok = { type: "ai-outcome", requestId: "r1", outcome: "suggested", landing: "suggestion", clientId: 42 };
    expect(parseClientMessage(JSON.stringify(ok))).toEqual(ok);
    expect(parseClientMessage('{"type":"ai-outcome","requestId":"r1","outcome":"discarded"}')).not.toBeNull();
    for (const bad of [
      { ...ok, outcome: "failed" },
      { ...ok, landing: "below" },
      { ...ok, clientId: -1 },
      { ...ok, clientId: 2 ** 32 },
      { ...ok, extra: 1 },
    ])
      expect(parseClientMessage(JSON.stringify(bad))).toBeNull();
  });
});

describe("parseServerMessage", () => {
  it("accepts saved, welcome and error messages", () => {
    expect(parseServerMessage('{"type":"saved","seq":1}')).toEqual({ type: "saved", seq: 1 });
    expect(parseServerMessage('{"type":"welcome","role":"viewer","connectionId":"c"}')?.type).toBe("welcome");
    expect(parseServerMessage('{"type":"error","code":"read-only","message":"no"}')?.type).toBe("error");
  });
  it("accepts the commenter role and thread-changed notices, and refuses malformed ones", () => {
    expect(parseServerMessage('{"type":"welcome","role":"commenter","connectionId":"c"}')).toMatchObject({ role: "commenter" });
    const ok = { type: "thread-changed", threadId: "AbCdEfGh1234", change: "replied" };
    expect(parseServerMessage(JSON.stringify(ok))).toEqual(ok);
    expect(parseServerMessage(JSON.stringify({ ...ok, change: "exploded" }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ ...ok, threadId: "<b>" }))).toBeNull();
  });
  it("reads the AI policy in the welcome and its live change", () => {
    expect(parseServerMessage('{"type":"ai-policy","ai":"off"}')).toEqual({ type: "ai-policy", ai: "off" });
    expect(parseServerMessage('{"type":"ai-policy","ai":"maybe"}')).toBeNull();
    expect(parseServerMessage('{"type":"welcome","role":"editor","connectionId":"c","ai":"suggest"}')).toMatchObject({ ai: "suggest" });
  });

  it("rejects unknown roles and error codes", () => {
    expect(parseServerMessage('{"type":"welcome","role":"admin","connectionId":"c"}')).toBeNull();
    expect(parseServerMessage('{"type":"error","code":"boom","message":"no"}')).toBeNull();
  });
});
