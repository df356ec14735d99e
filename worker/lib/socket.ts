/** Refusing a WebSocket upgrade in a way a browser can read. */
import type { CloseCode } from "../../shared/close-codes";

/** Completes the upgrade and closes at once with a code the browser can read (a
 * plain HTTP 401 reaches a browser WebSocket only as an anonymous 1006). The socket
 * is never registered with the room, so it cannot make the server buffer anything. */
export function refuse(code: CloseCode, reason: string): Response {
  const pair = new WebSocketPair();
  pair[1].accept();
  pair[1].close(code, reason);
  return new Response(null, { status: 101, webSocket: pair[0] });
}
