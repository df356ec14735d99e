import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AWARENESS_FLUSH_MS } from "../../shared/limits";
import { Presence } from "./presence";
import { type ConnState, ConnectionRegistry, type RoomConn } from "./registry";

type FakeConn = RoomConn & { send(frame: Uint8Array): void; frames: Uint8Array[]; writes: number };

function conn(id: string): FakeConn {
  let attachment: unknown = null;
  const c = {
    id,
    readyState: 1,
    frames: [] as Uint8Array[],
    writes: 0,
    get state() {
      return attachment;
    },
    setState(next: unknown) {
      c.writes += 1;
      attachment = typeof next === "function" ? (next as (p: unknown) => unknown)(attachment) : next;
      return attachment;
    },
    close() {
      c.readyState = 3;
    },
    send(frame: Uint8Array) {
      c.frames.push(frame);
    },
  };
  return c as unknown as FakeConn;
}

function quiet(awareness: awarenessProtocol.Awareness): awarenessProtocol.Awareness {
  clearInterval((awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  return awareness;
}

/** A client's presence update for its own id, at the next clock. */
function moved(local: awarenessProtocol.Awareness, at: number): Uint8Array {
  local.setLocalState({ user: { name: "Ana", color: "#e03131" }, cursor: { at } });
  return awarenessProtocol.encodeAwarenessUpdate(local, [local.clientID]);
}

describe("Presence", () => {
  let awareness: awarenessProtocol.Awareness;
  let conns: ConnectionRegistry<FakeConn>;
  let presence: Presence<FakeConn>;
  beforeEach(() => {
    vi.useFakeTimers();
    awareness = quiet(new awarenessProtocol.Awareness(new Y.Doc()));
    awareness.setLocalState(null);
    conns = new ConnectionRegistry<FakeConn>();
    presence = new Presence<FakeConn>({ awareness: () => awareness, conns, readFlow: { charge: (c) => c.readyState === 1 } });
  });
  afterEach(() => vi.useRealTimers());

  it("writes a connection's attachment once per flush, not once per caret move", () => {
    const a = conn("a");
    conns.add(a);
    const local = quiet(new awarenessProtocol.Awareness(new Y.Doc()));
    expect(presence.claim(a, local.clientID)).toBe(true);
    const before = a.writes;
    for (let i = 0; i < 20; i++) presence.receive(a, moved(local, i));
    expect(a.writes).toBe(before);
    vi.advanceTimersByTime(AWARENESS_FLUSH_MS);
    expect(a.writes).toBe(before + 1);
    const kept = (a.state as ConnState).presence?.[local.clientID];
    expect(kept && JSON.parse(kept[1]).cursor.at).toBe(19);
    expect(a.frames).toHaveLength(1); // one merged frame for the whole burst
  });

  it("a reconnecting tab keeps its presence when its old socket's close comes in late", () => {
    const local = quiet(new awarenessProtocol.Awareness(new Y.Doc()));
    const old = conn("old");
    conns.add(old);
    expect(presence.claim(old, local.clientID)).toBe(true);
    presence.receive(old, moved(local, 1));
    // The old socket is closing; the tab's new socket speaks for the same client.
    old.readyState = 2;
    const fresh = conn("new");
    conns.add(fresh);
    expect(presence.claim(fresh, local.clientID)).toBe(true);
    presence.receive(fresh, moved(local, 2));
    conns.remove(old);
    presence.leave(old);
    vi.advanceTimersByTime(AWARENESS_FLUSH_MS);
    expect(awareness.getStates().has(local.clientID)).toBe(true);
    // When the new socket leaves, the presence goes.
    conns.remove(fresh);
    presence.leave(fresh);
    expect(awareness.getStates().has(local.clientID)).toBe(false);
  });

  it("refuses presence for a client another open connection speaks for", () => {
    const a = conn("a");
    const b = conn("b");
    conns.add(a);
    conns.add(b);
    expect(presence.claim(a, 42)).toBe(true);
    expect(presence.claim(b, 42)).toBe(false);
    expect(presence.claim(a, 43)).toBe(false);
  });
});
