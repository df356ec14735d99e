/** Small helpers at the edge of the document socket. */
import * as Y from "yjs";

/** An empty Yjs V1 update: no structs, no deletes. Viewers' providers send one on connect. */
export const isEmptyUpdate = (u: Uint8Array): boolean => u.byteLength === 2 && u[0] === 0 && u[1] === 0;

export function isStateVector(bytes: Uint8Array): boolean {
  try {
    Y.decodeStateVector(bytes);
    return true;
  } catch {
    return false;
  }
}

export function toBytes(message: ArrayBuffer | ArrayBufferView): Uint8Array {
  return message instanceof ArrayBuffer ? new Uint8Array(message) : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
}

/** Sends a binary frame; a socket that is closing just misses it (its close handler
 * cleans up). */
export function sendFrame(conn: { send(data: Uint8Array): void }, frame: Uint8Array): void {
  try {
    conn.send(frame);
  } catch {
    /* closing */
  }
}
