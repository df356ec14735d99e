import * as decoding from "lib0/decoding";
import { Awareness, encodeAwarenessUpdate, applyAwarenessUpdate } from "y-protocols/awareness";
import { afterEach, expect, it } from "vitest";
import * as Y from "yjs";
import { QuireProvider } from "./provider";

/** The client ids in each awareness frame the provider sent. */
function sentAwarenessClients(frames: Uint8Array[]): number[][] {
  return frames.flatMap((frame) => {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== 1) return [];
    const u = decoding.createDecoder(decoding.readVarUint8Array(d));
    const n = decoding.readVarUint(u);
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(decoding.readVarUint(u));
      decoding.readVarUint(u);
      decoding.readVarString(u);
    }
    return [ids];
  });
}

let provider: QuireProvider | null = null;
afterEach(() => provider?.destroy());

it("sends only this client's own presence, never others' it received", () => {
  const doc = new Y.Doc();
  provider = new QuireProvider("localhost:1", "doc", doc, { connect: false, disableBc: true, party: "document" });
  const frames: Uint8Array[] = [];
  // A socket that is open and records what is sent.
  Object.assign(provider, { ws: { readyState: 1, OPEN: 1, send: (b: Uint8Array) => frames.push(b), close: () => {} }, wsconnected: true });

  // Someone else's presence arrives from the server (origin: the provider).
  const other = new Awareness(new Y.Doc());
  other.setLocalState({ user: { name: "Ben" } });
  applyAwarenessUpdate(provider.awareness, encodeAwarenessUpdate(other, [other.clientID]), provider);
  // …and changes, and is removed when they leave.
  other.setLocalState({ user: { name: "Ben B." } });
  applyAwarenessUpdate(provider.awareness, encodeAwarenessUpdate(other, [other.clientID]), provider);
  expect(provider.awareness.getStates().has(other.clientID)).toBe(true);
  expect(sentAwarenessClients(frames)).toEqual([]);

  // Our own change goes out, alone.
  provider.awareness.setLocalStateField("user", { name: "Ana" });
  expect(sentAwarenessClients(frames)).toEqual([[doc.clientID]]);
});
