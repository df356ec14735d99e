/**
 * The room's own list of open connections: a Map in memory, so a broadcast walks it
 * without asking the runtime. partyserver's getConnections() deserializes every
 * socket's attachment on every call to check that the socket is one of its own; at 30
 * readers that was 0.64 ms of Durable Object CPU per write (bench/profile-do.ts).
 *
 * Memory does not survive hibernation; the sockets and their attachments do. So what
 * the room must still know after a wake lives in the attachment (ConnState, ≤ 2 KiB,
 * written with conn.setState) and the map is rebuilt from the sockets once, when the
 * room starts again (Room.start). partyserver's Connection is the WebSocket object
 * itself, with getters reading its cached attachment, so keeping it here costs nothing.
 */
import type { Connection } from "partyserver";
import type { SocketAuthor } from "../access/author";
import type { GrantState } from "../access/connections";

/** WebSocket.READY_STATE_OPEN in workerd; spelled out so this runs in Node tests. */
const OPEN = 1;

/** Presence states kept for a wake: awareness client id → [clock, JSON state]. */
export type PersistedPresence = Record<string, [clock: number, state: string]>;

/** What the room keeps in a connection's attachment (it survives hibernation). */
export interface ConnState extends GrantState {
  /** The Yjs client id this connection speaks for in presence (awareness.ts). */
  presenceId?: number;
  /** Its latest presence, so a room that woke still shows it (presence.ts). */
  presence?: PersistedPresence;
  /** It had updates held aside (pending.ts), which a hibernation forgets (acks.ts). */
  holding?: boolean;
  /** The document's epoch when it was admitted (storage/epoch.ts, admit.ts). */
  epoch?: number;
  /** Who it writes as (access/author.ts): recorded with the client ids it introduces. */
  author?: SocketAuthor;
}

/** The part of a Connection the registry uses (tests pass plain objects). */
export type RoomConn = Pick<Connection, "id" | "readyState" | "state" | "setState" | "close">;

export class ConnectionRegistry<C extends RoomConn = Connection> {
  private readonly open = new Map<string, C>();
  /** `open`'s values, kept between changes: a broadcast walks an array. */
  private cached: C[] | null = null;
  /** Presence client id → the connection that speaks for it. */
  private readonly speakers = new Map<number, string>();
  /** The sockets registered here (partyserver's Connection is the WebSocket itself). */
  private readonly sockets = new WeakSet<object>();

  /** After a wake: every socket the runtime kept for this room. */
  rebuild(conns: Iterable<C>): void {
    this.open.clear();
    this.speakers.clear();
    this.cached = null;
    for (const conn of conns) this.add(conn);
  }

  add(conn: C): void {
    this.open.set(conn.id, conn);
    this.sockets.add(conn);
    this.cached = null;
    const id = this.state(conn).presenceId;
    if (typeof id === "number") this.speakers.set(id, conn.id);
  }

  /** True when it was registered. */
  remove(conn: { readonly id: string }): boolean {
    const had = this.open.get(conn.id);
    if (!had) return false;
    this.open.delete(conn.id);
    this.sockets.delete(had);
    this.cached = null;
    const id = this.state(had).presenceId;
    if (typeof id === "number" && this.speakers.get(id) === conn.id) this.speakers.delete(id);
    return true;
  }

  get(id: string): C | undefined {
    return this.open.get(id);
  }

  /** The connection this socket is, if the room registered it. */
  socket(ws: object): C | undefined {
    return this.sockets.has(ws) ? (ws as C) : undefined;
  }

  /** Every registered connection, open or already closing (the broadcast's walk: its
   * flow control skips those that are not open). */
  list(): readonly C[] {
    this.cached ??= [...this.open.values()];
    return this.cached;
  }

  /** Open connections. */
  *all(): Generator<C> {
    for (const conn of this.list()) if (conn.readyState === OPEN) yield conn;
  }

  /** Open connections, except `except`. */
  count(except?: string): number {
    let n = 0;
    for (const conn of this.all()) if (conn.id !== except) n += 1;
    return n;
  }

  state(conn: C): ConnState {
    return (conn.state as ConnState | null) ?? {};
  }

  /** Merges `patch` into the connection's attachment (one structured clone: call it
   * when something changed, not per frame). */
  update(conn: C, patch: Partial<ConnState>): void {
    conn.setState((prev: unknown) => ({ ...((prev as ConnState | null) ?? {}), ...patch }));
    if (typeof patch.presenceId === "number") this.speakers.set(patch.presenceId, conn.id);
  }

  /** The connection that speaks for this presence client id, if it is registered. */
  speaker(clientId: number): string | undefined {
    return this.speakers.get(clientId);
  }
}
