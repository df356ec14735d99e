/**
 * WebSocket close codes Quire uses. Application codes 4000-4999 mirror the HTTP
 * status a browser would understand (4403 ~ 403), so clients can map them to UI.
 */
export const CloseCode = {
  /** The document was rebuilt from a version (a fresh CRDT state, a new epoch): this
   * client's copy is from before, so it must not be synced. The client keeps what it had
   * not sent aside, drops its copy and reconnects with the epoch its welcome named. */
  Rebuilt: 4205,
  /** Malformed frame or protocol violation. */
  BadRequest: 4400,
  /** No token presented. */
  Unauthorized: 4401,
  /** Wrong, revoked or other-document token. */
  Forbidden: 4403,
  /** No such document. */
  NotFound: 4404,
  /** The connection fell too far behind reading what the server sent; reconnect to resync. */
  TooSlow: 4408,
  /** Updates this connection sent could not be kept (they waited too long for changes
   * they depend on); reconnect and resync. */
  Conflict: 4409,
  /** The document was deleted while connected. */
  Gone: 4410,
  /** A frame or the document grew past its limit. */
  TooLarge: 4413,
  /** The connection sent an update the server refuses to apply (see the error message):
   * reconnecting would send it again, so the client stops and says so. */
  Unprocessable: 4422,
  /** The update writes with a Yjs client id another author introduced (or one the
   * server granted to an AI answer): text cannot be passed off as someone else's. As
   * HTTP 423 Locked: the client id is locked to its author. */
  ForeignClientId: 4423,
  /** The connection sent faster than its budget. */
  TooManyRequests: 4429,
  /** The server could not load the document; storage was left untouched. */
  LoadFailed: 4500,
  /** The connection's update would bring more new Yjs client ids than the connection or
   * the document may take (each one slows every later edit; worker/room/growth.ts).
   * Nothing of it was applied; the browser keeps what it typed and stops sending. As
   * HTTP 507 Insufficient Storage: the server cannot take this representation. */
  TooManyClientIds: 4507,
  /** The room cannot take this connection now: it is restarting from storage (a change
   * broke it, or storing failed) or it is full. Reconnect later. */
  Unavailable: 4503,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting cannot help: the client stops retrying. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.NotFound,
  CloseCode.Gone,
  CloseCode.Unprocessable,
  CloseCode.TooManyClientIds,
  CloseCode.ForeignClientId,
  // The sender's change does not fit (the document's size limit, or a frame's): the
  // same change would be refused again (client/src/collab/session.ts keeps it aside).
  CloseCode.TooLarge,
]);
