import { describe, expect, it } from "vitest";
import { MAX_UNREAD_BYTES, READ_CHECK_EVERY_BYTES } from "../../shared/limits";
import { ReadFlow, type Reader } from "./read-flow";

interface FakeConn extends Reader {
  readyState: number;
  checks: string[];
  dropped: number | null;
}

const conn = (id: string): FakeConn => ({ id, readyState: 1, checks: [], dropped: null });

function setup() {
  let n = 0;
  const flow = new ReadFlow<FakeConn>(
    {
      send: (c, msg) => c.checks.push(msg.id),
      guard: {
        closeWith: (c, _close, _code, message) => {
          c.dropped = Number(/Fell (\d+) bytes/.exec(message)?.[1]);
          c.readyState = 2; // closing, as after ws.close()
        },
      },
    },
    () => `check-${String(++n).padStart(10, "0")}`,
  );
  return flow;
}

const CHUNK = 64 * 1024;

describe("ReadFlow", () => {
  it("keeps a reader that echoes its checks, however much it is sent", () => {
    const flow = setup();
    const c = conn("a");
    for (let sent = 0; sent < 4 * MAX_UNREAD_BYTES; sent += CHUNK) {
      flow.charge(c, CHUNK);
      const last = c.checks.at(-1);
      if (last) flow.ack(c, last);
    }
    expect(c.dropped).toBeNull();
    expect(c.checks.length).toBe(Math.ceil((4 * MAX_UNREAD_BYTES) / READ_CHECK_EVERY_BYTES));
    expect(flow.unread(c)).toBeLessThanOrEqual(READ_CHECK_EVERY_BYTES);
  });

  it("drops a reader that never echoes, just past MAX_UNREAD_BYTES, and stops charging it", () => {
    const flow = setup();
    const reader = conn("lagging");
    const healthy = conn("healthy");
    let sent = 0;
    while (reader.dropped === null && sent < 2 * MAX_UNREAD_BYTES) {
      for (const c of [reader, healthy]) flow.charge(c, CHUNK);
      sent += CHUNK;
      flow.ack(healthy, healthy.checks.at(-1)!);
    }
    expect(reader.dropped).toBeGreaterThan(MAX_UNREAD_BYTES);
    expect(sent).toBe(MAX_UNREAD_BYTES + CHUNK);
    const checksBefore = reader.checks.length;
    for (const c of [reader, healthy]) flow.charge(c, CHUNK);
    expect(reader.checks.length).toBe(checksBefore);
    expect(healthy.dropped).toBeNull();
  });

  it("counts a check as covering only what was sent before it", () => {
    const flow = setup();
    const c = conn("a");
    flow.charge(c, 1000); // first broadcast: check 1 goes out before it, at 0 bytes
    flow.ack(c, c.checks[0]!);
    expect(flow.unread(c)).toBe(1000);
  });

  it("ignores echoes of ids it never sent, so a reader cannot fake progress", () => {
    const flow = setup();
    const c = conn("a");
    let sent = 0;
    while (c.dropped === null && sent < 2 * MAX_UNREAD_BYTES) {
      flow.charge(c, CHUNK);
      sent += CHUNK;
      flow.ack(c, `check-${String(c.checks.length + 1).padStart(10, "0")}`); // a guess at the next id
      flow.ack(c, "not-a-check-id-at-all");
    }
    expect(c.dropped).not.toBeNull();
  });

  it("an older echo after a newer one does not move the mark back", () => {
    const flow = setup();
    const c = conn("a");
    for (let i = 0; i < 3 * (READ_CHECK_EVERY_BYTES / CHUNK); i++) flow.charge(c, CHUNK);
    const [first, second] = c.checks;
    flow.ack(c, second!);
    const after = flow.unread(c);
    flow.ack(c, first!);
    expect(flow.unread(c)).toBe(after);
  });

  it("skips sockets that are not open", () => {
    const flow = setup();
    const c = conn("a");
    c.readyState = 3;
    flow.charge(c, 10 * MAX_UNREAD_BYTES);
    expect(c.checks).toEqual([]);
    expect(c.dropped).toBeNull();
  });
});
