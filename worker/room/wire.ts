/** Small helpers at the edge of the document socket. */
import * as Y from "yjs";
import type { CloseCode } from "../../shared/close-codes";

/** An empty Yjs V1 update: no structs, no deletes. Viewers' providers send one on connect. */
export const isEmptyUpdate = (u: Uint8Array): boolean => u.byteLength === 2 && u[0] === 0 && u[1] === 0;

/** Completes the upgrade and closes at once with a code the browser can read (a
 * plain HTTP 401 reaches a browser WebSocket only as an anonymous 1006). The socket
 * is never registered with the room, so it cannot make the server buffer anything. */
export function refuse(code: CloseCode, reason: string): Response {
  const pair = new WebSocketPair();
  pair[1].accept();
  pair[1].close(code, reason);
  return new Response(null, { status: 101, webSocket: pair[0] });
}

export function isStateVector(bytes: Uint8Array): boolean {
  try {
    Y.decodeStateVector(bytes);
    return true;
  } catch {
    return false;
  }
}

export function toBytes(message: ArrayBuffer | ArrayBufferView): Uint8Array {
  return message instanceof ArrayBuffer
    ? new Uint8Array(message)
    : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}
