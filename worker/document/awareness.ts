/**
 * Checks an awareness update before y-protocols applies it, and rewrites a viewer's
 * state so it cannot show an editing caret. Format (y-protocols/awareness):
 * varUint count, then per client: varUint clientID, varUint clock, varString JSON state.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

const MAX_STATES_PER_UPDATE = 16;
const MAX_STATE_CHARS = 8 * 1024;

interface Entry {
  clientID: number;
  clock: number;
  state: unknown;
}

function decode(update: Uint8Array): Entry[] | null {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_STATES_PER_UPDATE) return null;
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const raw = decoding.readVarString(decoder);
      if (raw.length > MAX_STATE_CHARS) return null;
      entries.push({ clientID, clock, state: JSON.parse(raw) as unknown });
    }
    return decoding.hasContent(decoder) ? null : entries;
  } catch {
    return null;
  }
}

/** Returns the update to apply (possibly rewritten), or null if it is malformed. */
export function checkAwareness(update: Uint8Array, viewer: boolean): Uint8Array | null {
  const entries = decode(update);
  if (entries === null) return null;
  if (!viewer) return update;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientID, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientID);
    encoding.writeVarUint(encoder, clock);
    const safe =
      state !== null && typeof state === "object"
        ? { ...(state as Record<string, unknown>), cursor: null, viewer: true }
        : state;
    encoding.writeVarString(encoder, JSON.stringify(safe));
  }
  return encoding.toUint8Array(encoder);
}
