import type { Connection } from "partyserver";
import { describe, expect, it } from "vitest";
import { LiveConnections } from "./live-connections";

interface Sock {
  readyState: number;
  party: boolean;
}

function room(...socks: Sock[]) {
  const sockets = [...socks];
  let checks = 0;
  const live = new LiveConnections(
    () => sockets,
    // partyserver's iterator: open sockets of its own only (the expensive check).
    () => {
      checks += 1;
      return sockets.filter((s) => s.readyState === 1 && s.party) as unknown as Connection[];
    },
  );
  return { sockets, live, checks: () => checks };
}

describe("LiveConnections", () => {
  it("asks partyserver once, then answers from the runtime's list", () => {
    const a = { readyState: 1, party: true };
    const b = { readyState: 1, party: true };
    const r = room(a, b);
    expect(r.live.all()).toEqual([a, b]);
    for (let i = 0; i < 100; i++) expect(r.live.all()).toEqual([a, b]);
    expect(r.checks()).toBe(1);
  });

  it("a socket it has not seen sends it back to partyserver once", () => {
    const a = { readyState: 1, party: true };
    const r = room(a);
    r.live.all();
    const b = { readyState: 1, party: true };
    r.sockets.push(b);
    expect(r.live.all()).toEqual([a, b]);
    expect(r.live.all()).toEqual([a, b]);
    expect(r.checks()).toBe(2);
  });

  it("leaves out sockets that are not open, and ones partyserver does not own", () => {
    const a = { readyState: 1, party: true };
    const closing = { readyState: 2, party: true };
    const foreign = { readyState: 1, party: false };
    const r = room(a, closing, foreign);
    expect(r.live.all()).toEqual([a]);
    a.readyState = 3;
    expect(r.live.all()).toEqual([]);
  });
});
