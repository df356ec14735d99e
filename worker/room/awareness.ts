/**
 * Checks an awareness (presence) update before y-protocols applies it. Format
 * (y-protocols/awareness): varUint count, then per client: varUint clientID, varUint
 * clock, varString JSON state (the string "null" removes that client).
 *
 * A connection speaks for one Yjs client only, the one it first sent presence for
 * (bound in its connection state by the caller): with awareness as y-protocols has it,
 * any peer could rename someone else, show them "using AI" or remove them from
 * presence by sending a higher clock for their id. States must be objects with the
 * fields of shared/presence.ts (unknown fields are dropped); a viewer's caret is removed
 * and it is marked as a viewer.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { MAX_PRESENCE_STATE_CHARS } from "../../shared/limits";
import { parsePresenceState } from "../../shared/presence";

export type AwarenessCheck = { ok: true; clientID: number; update: Uint8Array } | { ok: false; reason: string };

const refused = (reason: string): AwarenessCheck => ({ ok: false, reason });

/** `viewer`: the connection may not edit. */
export function checkAwareness(update: Uint8Array, viewer: boolean): AwarenessCheck {
  let clientID: number;
  let clock: number;
  let raw: string;
  try {
    const decoder = decoding.createDecoder(update);
    if (decoding.readVarUint(decoder) !== 1) return refused("presence must be for one client");
    clientID = decoding.readVarUint(decoder);
    clock = decoding.readVarUint(decoder);
    raw = decoding.readVarString(decoder);
    if (decoding.hasContent(decoder)) return refused("malformed presence");
  } catch {
    return refused("malformed presence");
  }
  if (raw.length > MAX_PRESENCE_STATE_CHARS) return refused("presence state too large");
  let value: unknown;
  try {
    value = JSON.parse(raw) as unknown;
  } catch {
    return refused("malformed presence");
  }
  let json: string;
  if (value === null) {
    json = "null";
  } else {
    const state = parsePresenceState(value);
    if (!state) return refused("presence state of the wrong shape");
    json = JSON.stringify(viewer ? { ...state, cursor: null, viewer: true } : state);
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientID);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, json);
  return { ok: true, clientID, update: encoding.toUint8Array(encoder) };
}
