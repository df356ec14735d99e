import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/close-codes";
import { ErrorCode, ServerMessageType } from "../../shared/protocol";
import { DROPPED, SaveAcks } from "./acks";
import { type ConnState, ConnectionRegistry, type RoomConn } from "./registry";

interface FakeConn extends RoomConn {
  saved: number[];
  errors: string[];
  closed: { code: number; reason: string } | null;
}

function conn(id: string, state: ConnState = {}): FakeConn {
  let attachment: unknown = state;
  const c: FakeConn = {
    id,
    readyState: 1,
    saved: [],
    errors: [],
    closed: null,
    get state() {
      return attachment;
    },
    setState(next: unknown) {
      attachment = typeof next === "function" ? (next as (p: unknown) => unknown)(attachment) : next;
      return attachment;
    },
    close(code?: number, reason?: string) {
      c.closed = { code: code ?? 1000, reason: reason ?? "" };
      c.readyState = 3;
    },
  } as FakeConn;
  return c;
}

/** A room with the batcher's positions and the held updates under the test's control. */
function room() {
  const conns = new ConnectionRegistry<FakeConn>();
  const queued = new Map<string, number>();
  const held = new Set<string>();
  let processed = 0;
  let expiries = 0;
  const acks = new SaveAcks<FakeConn>({
    conns,
    guard: {
      reject: (c, code) => c.errors.push(code),
      closeWith: (c, closeCode, code, message) => {
        c.errors.push(code);
        c.close(closeCode, message);
      },
    },
    batcher: {
      queuedThrough: (c) => {
        const at = queued.get(c.id);
        return at !== undefined && at > processed ? at : null;
      },
      get processed() {
        return processed;
      },
    },
    applier: {
      held: { has: (c) => held.has(c.id) },
      expire: () => {
        expiries += 1;
      },
    },
    send: (c, msg) => {
      expect(msg.type).toBe(ServerMessageType.Saved);
      c.saved.push(msg.seq);
    },
  });
  const join = (c: FakeConn) => {
    conns.add(c);
    return c;
  };
  return {
    acks,
    join,
    held,
    /** `c` has an update queued at this position. */
    queue: (c: FakeConn, at: number) => queued.set(c.id, at),
    /** The batcher applied everything up to `at`, and the pipeline stored and sent it. */
    process: (at: number) => {
      processed = at;
      acks.batchDone();
    },
    expiries: () => expiries,
  };
}

describe("SaveAcks", () => {
  it("answers at once when nothing the connection sent is queued or held", () => {
    const r = room();
    const a = r.join(conn("a"));
    r.acks.check(a, 1);
    expect(a.saved).toEqual([1]);
    expect(r.expiries()).toBe(1); // held updates expire on activity, not on a timer
  });

  it("answers a check only after the batch that holds the sender's earlier updates", () => {
    const r = room();
    const a = r.join(conn("a"));
    const b = r.join(conn("b"));
    r.queue(a, 3);
    r.acks.check(a, 7);
    r.acks.check(b, 1); // b has nothing queued: not held up by a's batch
    expect(a.saved).toEqual([]);
    expect(b.saved).toEqual([1]);
    r.process(2); // a batch cut before a's update
    expect(a.saved).toEqual([]);
    r.process(3);
    expect(a.saved).toEqual([7]);
    r.process(4);
    expect(a.saved).toEqual([7]);
  });

  it("a later check replaces an earlier one still waiting; the answer covers both", () => {
    const r = room();
    const a = r.join(conn("a"));
    r.queue(a, 1);
    r.acks.check(a, 1);
    r.queue(a, 2);
    r.acks.check(a, 2);
    r.process(2);
    expect(a.saved).toEqual([2]);
  });

  it("waits for held updates, and answers once they are released (and stored)", () => {
    const r = room();
    const a = r.join(conn("a"));
    r.held.add("a");
    r.acks.holding(a);
    expect((a.state as ConnState).holding).toBe(true);
    r.acks.check(a, 5);
    expect(a.saved).toEqual([]);
    r.held.delete("a");
    r.acks.released(a);
    expect(a.saved).toEqual([5]);
    expect((a.state as ConnState).holding).toBe(false);
  });

  it("waits for a batch, then for what that batch held", () => {
    const r = room();
    const a = r.join(conn("a"));
    r.queue(a, 1);
    r.acks.check(a, 9);
    r.held.add("a"); // the batch held a's update for a missing base
    r.acks.holding(a);
    r.process(1);
    expect(a.saved).toEqual([]);
    r.held.delete("a");
    r.acks.released(a);
    expect(a.saved).toEqual([9]);
  });

  it("never says saved for held updates that were dropped: the sender is cut and resyncs", () => {
    const r = room();
    const a = r.join(conn("a"));
    r.held.add("a");
    r.acks.holding(a);
    r.acks.check(a, 3);
    r.held.delete("a");
    r.acks.dropped(a, "connection");
    expect(a.saved).toEqual([]);
    expect(a.closed).toEqual({ code: CloseCode.Conflict, reason: DROPPED.connection });
    expect(a.errors).toEqual([ErrorCode.MissingDependencies]);
  });

  it("a socket that was holding updates when the room hibernated is told to resync, never saved", () => {
    // Before: a held update, marked in the socket's attachment.
    const before = room();
    const a = before.join(conn("a"));
    before.held.add("a");
    before.acks.holding(a);
    // The room hibernates: memory is gone, the socket and its attachment stay. A fresh
    // room rebuilds its registry from the sockets and knows of no held update.
    const after = room();
    after.join(a);
    after.acks.check(a, 4);
    expect(a.saved).toEqual([]);
    expect(a.closed).toEqual({ code: CloseCode.Conflict, reason: DROPPED.expired });
    // A socket that was not holding is answered as usual, and one that was holding is
    // cut as soon as the room wakes, even if it sends nothing more (its check was lost).
    const c = conn("c");
    before.join(c);
    before.held.add("c");
    before.acks.holding(c);
    before.acks.check(c, 2);
    after.join(c);
    after.acks.woke([c]);
    expect(c.saved).toEqual([]);
    expect(c.closed).toEqual({ code: CloseCode.Conflict, reason: DROPPED.expired });
    const b = after.join(conn("b", { holding: false }));
    after.acks.check(b, 1);
    expect(b.saved).toEqual([1]);
  });

  it("a change a read-only document refused is never acknowledged, until it is writable again", () => {
    const r = room();
    const a = r.join(conn("a"));
    r.acks.refusedWrite(a);
    r.acks.check(a, 1);
    expect(a.saved).toEqual([]);
    expect(a.errors).toEqual([ErrorCode.DocumentReadOnly]);
    r.acks.writable();
    r.acks.check(a, 2);
    expect(a.saved).toEqual([2]);
  });

  it("forgets what a closed connection waited for, and everything on a reload", () => {
    const r = room();
    const a = r.join(conn("a"));
    const b = r.join(conn("b"));
    r.queue(a, 1);
    r.queue(b, 2);
    r.acks.check(a, 1);
    r.acks.check(b, 1);
    r.acks.forget(a);
    r.acks.reset();
    r.process(2);
    expect(a.saved).toEqual([]);
    expect(b.saved).toEqual([]);
  });
});
