import { describe, expect, it } from "vitest";
import {
  AI_MAX_CONCURRENT_PER_DOCUMENT,
  AI_MAX_CONCURRENT_PER_LINK,
  AI_REQUESTS_PER_MINUTE_PER_CONNECTION,
  AI_REQUESTS_PER_MINUTE_PER_DOCUMENT,
  AI_REQUESTS_PER_MINUTE_PER_LINK,
} from "../../shared/limits";
import { AiGate, type AiSlot } from "./gate";

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const slotOf = (e: ReturnType<AiGate["enter"]>): AiSlot => {
  if (!e.ok) throw new Error(`refused: ${e.scope}`);
  return e.slot;
};

describe("AiGate", () => {
  it("caps calls at once per link, then per document; a released slot is free again", () => {
    const gate = new AiGate(clock().now);
    const fromComments = Array.from({ length: AI_MAX_CONCURRENT_PER_LINK }, (_, i) =>
      slotOf(gate.enter({ link: "comment", person: `p${i}` })),
    );
    expect(gate.enter({ link: "comment", person: "another" })).toMatchObject({ ok: false, scope: "link-busy" });
    // The comment link's flood leaves the edit link room, up to the document's cap.
    const others = AI_MAX_CONCURRENT_PER_DOCUMENT - AI_MAX_CONCURRENT_PER_LINK;
    for (let i = 0; i < others; i++) slotOf(gate.enter({ link: "edit", person: `e${i}` }));
    expect(gate.enter({ link: "owner", person: "o" })).toMatchObject({ ok: false, scope: "busy" });
    fromComments[0]!.release();
    fromComments[0]!.release(); // idempotent
    expect(gate.busy()).toBe(AI_MAX_CONCURRENT_PER_DOCUMENT - 1);
    expect(gate.enter({ link: "owner", person: "o" }).ok).toBe(true);
  });

  it("does not count the calls a new one replaces", () => {
    const gate = new AiGate(clock().now);
    const running = Array.from({ length: AI_MAX_CONCURRENT_PER_LINK }, (_, i) => slotOf(gate.enter({ link: "edit", person: `p${i}` })));
    expect(gate.enter({ link: "edit", person: "p0" }).ok).toBe(false);
    expect(gate.enter({ link: "edit", person: "p0" }, [running[0]!]).ok).toBe(true);
  });

  it("limits a person, a link and the document per minute; one link cannot spend another's share", () => {
    const c = clock();
    const gate = new AiGate(c.now);
    const take = (link: "owner" | "edit" | "comment", person: string) => {
      const e = gate.enter({ link, person });
      if (e.ok) e.slot.release();
      return e;
    };
    for (let i = 0; i < AI_REQUESTS_PER_MINUTE_PER_CONNECTION; i++) expect(take("comment", "mallory").ok).toBe(true);
    expect(take("comment", "mallory")).toMatchObject({ ok: false, scope: "person" });
    // Fresh names on the same link reach the link's share, not more.
    let n = AI_REQUESTS_PER_MINUTE_PER_CONNECTION;
    for (let i = 0; n < AI_REQUESTS_PER_MINUTE_PER_LINK; i++, n++) expect(take("comment", `fresh${Math.floor(i / 5)}`).ok).toBe(true);
    const refused = take("comment", "yet-another");
    expect(refused).toMatchObject({ ok: false, scope: "link" });
    if (!refused.ok) expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Everyone else still has the rest of the document's minute.
    let others = 0;
    for (let i = 0; take(i % 2 ? "edit" : "owner", `e${Math.floor(i / 5)}`).ok; i++) others += 1;
    expect(others).toBe(AI_REQUESTS_PER_MINUTE_PER_DOCUMENT - AI_REQUESTS_PER_MINUTE_PER_LINK);
    expect(take("owner", "new")).toMatchObject({ ok: false, scope: "document" });
    c.advance(60_001);
    expect(take("comment", "mallory").ok).toBe(true);
  });

  it("keeps a person's times where the caller keeps them (a socket's state)", () => {
    const c = clock();
    const gate = new AiGate(c.now);
    const full = Array.from({ length: AI_REQUESTS_PER_MINUTE_PER_CONNECTION }, () => c.now());
    expect(gate.enter({ link: "edit", person: "s1", times: full })).toMatchObject({ ok: false, scope: "person" });
    const e = gate.enter({ link: "edit", person: "s1", times: [] });
    expect(e.ok && e.times).toEqual([c.now()]);
  });

  it("refuses every call while the owner has AI off, before any limit, and admits again once it is on", () => {
    let policy: "on" | "suggest" | "off" = "off";
    const gate = new AiGate(clock().now, () => policy);
    expect(gate.closed()).toMatchObject({ ok: false, scope: "off" });
    expect(gate.enter({ link: "owner", person: "o" })).toMatchObject({ ok: false, scope: "off" });
    expect(gate.busy()).toBe(0);
    policy = "suggest";
    expect(gate.closed()).toBeNull();
    expect(gate.suggestOnly()).toBe(true);
    expect(gate.enter({ link: "owner", person: "o" }).ok).toBe(true);
    policy = "on";
    expect(gate.suggestOnly()).toBe(false);
  });
});
