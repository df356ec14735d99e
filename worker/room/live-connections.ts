/**
 * The room's open connections, without partyserver's per-call cost. Its hibernating
 * getConnections() deserializes every socket's attachment (a structured clone) on
 * every call, only to check that the socket is one of its own, and YServer calls it
 * for every broadcast: at 30 readers that was 0.64 ms of Durable Object CPU per write
 * in `tryGetPartyServerMeta` alone (bench/profile-do.ts), most of Quire's extra cost
 * over a bare YServer. A socket partyserver has returned once is remembered; its
 * Connection is the WebSocket object itself (partyserver defines the Connection
 * fields on it), so the runtime's own list can be used as is. The memory is a
 * WeakSet: hibernation or a closed socket simply means one slow pass again.
 */
import type { Connection } from "partyserver";

/** WebSocket.READY_STATE_OPEN in workerd; spelled out so the logic runs in Node tests. */
const OPEN = 1;

export class LiveConnections {
  private readonly known = new WeakSet<object>();
  /** How often partyserver's check ran (tests: it must not run for every broadcast). */
  slowPasses = 0;

  constructor(
    private readonly sockets: () => readonly { readyState: number }[],
    /** partyserver's own getConnections(): the check, for sockets not seen yet. */
    private readonly checked: () => Iterable<Connection>,
  ) {}

  all(): Connection[] {
    const out: Connection[] = [];
    for (const ws of this.sockets()) {
      if (ws.readyState !== OPEN) continue;
      if (!this.known.has(ws)) return this.learn();
      out.push(ws as unknown as Connection); // partyserver's Connection is this very object
    }
    return out;
  }

  private learn(): Connection[] {
    this.slowPasses += 1;
    const all = [...this.checked()];
    for (const conn of all) this.known.add(conn);
    return all;
  }
}
