import * as awarenessProtocol from "y-protocols/awareness";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { expect, it } from "vitest";
import { encodeAwarenessFrame, MessageType } from "../../shared/frames";
import { connect, createDoc } from "../test-support/client";

/** A caret as y-prosemirror publishes it: a Yjs relative position. */
const caret = (clock: number) => ({ type: { client: 1, clock }, assoc: 0 });

function awarenessFrames(frames: Uint8Array[]): Uint8Array[] {
  return frames.filter((f) => decoding.readVarUint(decoding.createDecoder(f)) === MessageType.Awareness);
}

it("merges a burst of caret moves into one presence message per peer, latest state last", async () => {
  const doc = await createDoc();
  const ana = await connect(doc.id, doc.editToken);
  const ben = await connect(doc.id, doc.editToken);
  const local = new awarenessProtocol.Awareness(new Y.Doc());
  clearInterval((local as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  const before = awarenessFrames(ben.binary).length;
  for (let i = 0; i < 10; i++) {
    local.setLocalState({ user: { name: "Ana", color: "#e03131" }, cursor: { anchor: caret(i), head: caret(i) } });
    ana.send(encodeAwarenessFrame(awarenessProtocol.encodeAwarenessUpdate(local, [local.clientID])));
  }
  const seen = new awarenessProtocol.Awareness(new Y.Doc());
  clearInterval((seen as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  await ben.until(() => {
    for (const f of awarenessFrames(ben.binary).slice(before)) {
      const d = decoding.createDecoder(f);
      decoding.readVarUint(d);
      awarenessProtocol.applyAwarenessUpdate(seen, decoding.readVarUint8Array(d), null);
    }
    const st = seen.getStates().get(local.clientID) as { cursor?: { anchor: ReturnType<typeof caret> } } | undefined;
    return st?.cursor?.anchor.type.clock === 9;
  }, "latest caret");
  // Ten moves in one burst cost Ben at most a couple of messages, not ten.
  expect(awarenessFrames(ben.binary).length - before).toBeLessThanOrEqual(2);
  expect(ana.errors()).toEqual([]);
});

it("a caret moving faster than the presence budget is coalesced, never dropped or refused", async () => {
  const doc = await createDoc();
  const ana = await connect(doc.id, doc.editToken);
  const ben = await connect(doc.id, doc.editToken);
  const local = new awarenessProtocol.Awareness(new Y.Doc());
  clearInterval((local as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  const moves = 500; // far over the per-second budget and its burst
  for (let i = 0; i < moves; i++) {
    local.setLocalState({ user: { name: "Ana", color: "#e03131" }, cursor: { anchor: caret(i), head: caret(i) } });
    ana.send(encodeAwarenessFrame(awarenessProtocol.encodeAwarenessUpdate(local, [local.clientID])));
  }
  const seen = new awarenessProtocol.Awareness(new Y.Doc());
  clearInterval((seen as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  let read = 0;
  await ben.until(() => {
    const frames = awarenessFrames(ben.binary);
    for (const f of frames.slice(read)) {
      const d = decoding.createDecoder(f);
      decoding.readVarUint(d);
      awarenessProtocol.applyAwarenessUpdate(seen, decoding.readVarUint8Array(d), null);
    }
    read = frames.length;
    const st = seen.getStates().get(local.clientID) as { cursor?: { anchor: ReturnType<typeof caret> } } | undefined;
    return st?.cursor?.anchor.type.clock === moves - 1;
  }, "final caret position");
  expect(ana.errors()).toEqual([]);
  expect(ana.closed).toBeNull();
});
