/** Opening and closing many raw y-websocket clients (the tests' YClient) at once. */
import WebSocket from "ws";
import * as Y from "yjs";
import { YClient, type ClientOptions } from "../../e2e/support/yclient";
import type { Room } from "../servers/types";
import { withTimeout } from "./log";

export const OPEN_TIMEOUT_MS = 20_000;

export async function openClient(room: Room, extra: Partial<ClientOptions> = {}): Promise<YClient> {
  const c = new YClient(room.url, { ...room.opts, ...extra });
  try {
    await withTimeout(
      Promise.race([
        c.synced,
        c.closed.then((e) => {
          throw new Error(`closed before sync: ${e.code} ${e.reason}`);
        }),
      ]),
      OPEN_TIMEOUT_MS,
      `sync with ${room.url}`,
    );
  } catch (err) {
    c.ws.terminate();
    throw err;
  }
  return c;
}

/** Opens `n` clients, at most `concurrency` handshakes in flight at a time. */
export async function openMany(room: Room, n: number, extra: Partial<ClientOptions> = {}, concurrency = 25): Promise<YClient[]> {
  const out: YClient[] = [];
  for (let i = 0; i < n; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, n - i) }, () => openClient(room, extra));
    const settled = await Promise.allSettled(batch);
    for (const s of settled) if (s.status === "fulfilled") out.push(s.value);
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) {
      closeAll(out);
      throw (failed as PromiseRejectedResult).reason;
    }
  }
  return out;
}

/** Drops the sockets at once (no closing handshake to wait for). */
export function closeAll(clients: readonly YClient[]): void {
  for (const c of clients) {
    if (c.ws.readyState !== WebSocket.CLOSED) c.ws.terminate();
  }
}

/** Types one character at the end of the client's paragraph; returns its new clock. */
export function typeChar(c: YClient, ch = "x"): number {
  const p = c.paragraph();
  p.insert(p.length, ch);
  return ownClock(c);
}

export const ownClock = (c: YClient): number => Y.getState(c.doc.store, c.doc.clientID);
export const clockOf = (c: YClient, clientId: number): number => Y.getState(c.doc.store, clientId);
