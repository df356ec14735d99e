/**
 * Reading the standard y-websocket binary frames without applying them, so the
 * server can check size, role and rate before anything touches the document.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;
export const SyncType = { Step1: 0, Step2: 1, Update: 2 } as const;

export type Frame =
  | { kind: "sync-step1"; stateVector: Uint8Array }
  | { kind: "sync-step2"; update: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; update: Uint8Array }
  | { kind: "query-awareness" };

/** Returns the frame's kind and payload (a view, not a copy), or null if it is not
 * a well-formed y-websocket frame of a type Quire accepts. */
export function readFrame(bytes: Uint8Array): Frame | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Sync) {
      const sub = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (decoding.hasContent(decoder)) return null;
      if (sub === SyncType.Step1) return { kind: "sync-step1", stateVector: payload };
      if (sub === SyncType.Step2) return { kind: "sync-step2", update: payload };
      if (sub === SyncType.Update) return { kind: "update", update: payload };
      return null;
    }
    if (type === MessageType.Awareness) {
      const payload = decoding.readVarUint8Array(decoder);
      if (decoding.hasContent(decoder)) return null;
      return { kind: "awareness", update: payload };
    }
    if (type === MessageType.QueryAwareness) {
      return decoding.hasContent(decoder) ? null : { kind: "query-awareness" };
    }
    return null;
  } catch {
    // lib0 throws on truncated varints / arrays: that is simply a malformed frame.
    return null;
  }
}

export function encodeSyncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
