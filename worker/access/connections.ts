/**
 * What a connection was let in with, and cutting connections whose link went away.
 *
 * The DO's `fetch` checks the token before the upgrade and passes the grant (link kind
 * and generation) to `onConnect` in a header it sets itself, overwriting anything a
 * client sent. `onConnect` stores it with conn.setState(), which survives hibernation;
 * every incoming message is checked against the links as they are now.
 */
import type { Connection } from "partyserver";
import { CloseCode } from "../../shared/close-codes";
import type { Role } from "../../shared/protocol";
import { CloseReason, LINK_KINDS, type LinkKind } from "../../shared/sharing";
import { roleOfGrant, type Grant, type Links } from "./links";

export const GRANT_HEADER = "x-quire-grant";

/** The part of a connection's state this module owns. */
export interface GrantState {
  role?: Role;
  link?: LinkKind;
  gen?: number;
}

export const encodeGrant = (g: Grant): string => `${g.kind}:${g.gen}`;

export function decodeGrant(value: string | null): Grant | null {
  const m = /^([a-z]+):(\d{1,15})$/.exec(value ?? "");
  const kind = LINK_KINDS.find((k) => k === m?.[1]);
  return kind && m ? { kind, gen: Number(m[2]) } : null;
}

/** The state to store for a freshly admitted connection. */
export const grantState = (g: Grant): GrantState => ({ role: roleOfGrant(g), link: g.kind, gen: g.gen });

export function grantOf(state: unknown): Grant | null {
  const s = state as GrantState | null;
  if (!s?.link || typeof s.gen !== "number") return null;
  return { kind: s.link, gen: s.gen };
}

/** The role a connection has right now: its stored role while its link is current,
 * none once the link was reset or turned off. */
export function currentRole(state: unknown, links: Links): Role | null {
  const grant = grantOf(state);
  if (!grant || !links.isCurrent(grant)) return null;
  return (state as GrantState).role ?? roleOfGrant(grant);
}

/** A new socket: its grant, re-checked (a reset that landed between the token check in
 * `fetch` and now wins), as the state to store; or null after closing it. */
export function admitNew(conn: Connection, grantHeader: string | null, links: Links): GrantState | null {
  const grant = decodeGrant(grantHeader);
  if (!grant || !links.isCurrent(grant)) {
    conn.close(CloseCode.Forbidden, CloseReason.LinkRevoked);
    return null;
  }
  return grantState(grant);
}

/** A live socket, before each message: false after cutting it because its link was
 * reset or turned off. */
export function admitLive(conn: Connection, links: Links): boolean {
  if (currentRole(conn.state, links) !== null) return true;
  // A socket admitted before grants were recorded (an older deploy) has no link to
  // check: ask it to reconnect (a normal close, so the client retries) rather than
  // telling it its link was revoked.
  if (!grantOf(conn.state)) conn.close(1000, "reconnect");
  else conn.close(CloseCode.Forbidden, CloseReason.LinkRevoked);
  return false;
}

/** Closes every connection whose link is no longer current (4403 "link revoked"). */
export function closeRevoked(connections: Iterable<Connection>, links: Links): number {
  let closed = 0;
  for (const conn of connections) {
    if (currentRole(conn.state, links) !== null) continue;
    closeQuietly(conn, CloseCode.Forbidden, CloseReason.LinkRevoked);
    closed += 1;
  }
  return closed;
}

/** Closes every connection (4410 "document deleted"). */
export function closeAllDeleted(connections: Iterable<Connection>): void {
  for (const conn of connections) closeQuietly(conn, CloseCode.Gone, CloseReason.DocumentDeleted);
}

function closeQuietly(conn: Connection, code: number, reason: string): void {
  try {
    conn.close(code, reason);
  } catch {
    // Already closing: nothing left to cut.
  }
}
