import type { Connection } from "partyserver";
import { describe, expect, it, vi } from "vitest";
import type { AiOutcomeMessage } from "../../shared/ai";
import type { AiActivity, Decided } from "./activity";
import { AiGate } from "./gate";
import { type AiAttributionClaim, decideOutcome } from "./outcome";

const conn = (state: unknown) => ({ id: "c1", state }) as unknown as Connection;
const editor = conn({ role: "editor", link: "edit", gen: 0 });
const DECIDED: Decided = { callId: "call1", text: "AI text", model: "m", command: "rewrite", requestedBy: "Editor" };

function host(policy: "on" | "suggest" | "off" = "on", decided: Decided | null = DECIDED) {
  const decide = vi.fn((_c: string, _r: string, _o: string, _by: string) => decided);
  const attribute = vi.fn((_c: Connection, _claim: AiAttributionClaim) => {});
  const h = { docId: () => "d", aiGate: new AiGate(Date.now, () => policy), aiActivity: { decide } as unknown as AiActivity, attribute };
  return { h, decide, attribute };
}
const msg = (m: Partial<AiOutcomeMessage>): AiOutcomeMessage => ({ type: "ai-outcome", requestId: "r1", outcome: "accepted", ...m });

describe("decideOutcome", () => {
  it("records the decision under the connection's name, and hands an accepted answer with its client id to attribution", () => {
    const { h, decide, attribute } = host();
    decideOutcome(h, editor, msg({ landing: "insert", clientId: 77 }));
    expect(decide).toHaveBeenCalledWith("c1", "r1", "accepted", "Editor");
    expect(attribute).toHaveBeenCalledWith(editor, {
      callId: "call1",
      clientId: 77,
      landing: "insert",
      answer: "AI text",
      model: "m",
      command: "rewrite",
      requestedBy: "Editor",
    });
  });

  it("names the socket's own name once it carries one", () => {
    const { h, decide } = host();
    decideOutcome(h, conn({ role: "owner", link: "owner", gen: 0, author: { name: "  Olga " } }), msg({ outcome: "discarded" }));
    expect(decide).toHaveBeenCalledWith("c1", "r1", "discarded", "Olga");
  });

  it("attributes nothing without a client id, for a discarded answer, or when the decision did not hold", () => {
    for (const [m, decided] of [
      [msg({}), DECIDED],
      [msg({ outcome: "discarded", clientId: 5 }), DECIDED],
      [msg({ clientId: 5 }), null],
    ] as const) {
      const { h, attribute } = host("on", decided);
      decideOutcome(h, editor, m);
      expect(attribute).not.toHaveBeenCalled();
    }
  });

  it("a suggestion lands as a suggestion by default; under the suggest-only policy an accept is not recorded", () => {
    const on = host();
    decideOutcome(on.h, editor, msg({ outcome: "suggested", clientId: 9 }));
    expect(on.attribute.mock.calls[0]![1].landing).toBe("suggestion");
    const suggest = host("suggest");
    decideOutcome(suggest.h, editor, msg({ clientId: 9 }));
    expect(suggest.decide).not.toHaveBeenCalled();
    expect(suggest.attribute).not.toHaveBeenCalled();
  });

  it("never throws", () => {
    const { h } = host();
    h.attribute.mockImplementation(() => {
      throw new Error("boom");
    });
    expect(() => decideOutcome(h, editor, msg({ clientId: 1 }))).not.toThrow();
  });
});
