import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { checkAwareness } from "./awareness";

function update(state: unknown, clientID = 7, clock = 1): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clientID);
  encoding.writeVarUint(e, clock);
  encoding.writeVarString(e, JSON.stringify(state));
  return encoding.toUint8Array(e);
}

function decoded(u: Uint8Array): unknown {
  const doc = new Y.Doc();
  const a = new awarenessProtocol.Awareness(doc);
  clearInterval((a as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  awarenessProtocol.applyAwarenessUpdate(a, u, null);
  return a.getStates().get(7);
}

const caret = { type: { client: 1, clock: 2 }, assoc: 0 };
const state = { user: { name: "Ana", color: "#123456" }, cursor: { anchor: caret, head: caret }, activity: "typing" };

describe("checkAwareness", () => {
  it("passes an editor's state through, and names the client it speaks for", () => {
    const out = checkAwareness(update(state), false);
    expect(out).toMatchObject({ ok: true, clientID: 7 });
    if (out.ok) expect(decoded(out.update)).toEqual(state);
  });

  it("removes a viewer's caret and marks them as a viewer", () => {
    const out = checkAwareness(update(state), true);
    expect(out.ok).toBe(true);
    if (out.ok) expect(decoded(out.update)).toEqual({ user: state.user, cursor: null, viewer: true, activity: "typing" });
  });

  it("drops fields Quire does not use", () => {
    const out = checkAwareness(update({ ...state, junk: "x".repeat(100) }), false);
    expect(out.ok && decoded(out.update)).toEqual(state);
  });

  it("lets a client remove its own presence (null)", () => {
    expect(checkAwareness(update(null), false)).toMatchObject({ ok: true, clientID: 7 });
  });

  it("refuses states that are not presence: strings, numbers, wrong field types, oversized", () => {
    for (const bad of [
      "x",
      42,
      [1],
      { user: { name: 5, color: "#000000" } },
      { user: { name: "A", color: "red" } },
      { ai: "everywhere" },
    ]) {
      expect(checkAwareness(update(bad), false).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(checkAwareness(update({ user: { name: "A".repeat(5000), color: "#000000" } }), false).ok).toBe(false);
  });

  it("refuses malformed updates and updates for several clients", () => {
    expect(checkAwareness(new Uint8Array([1, 5, 1]), false).ok).toBe(false);
    expect(checkAwareness(new Uint8Array([1, 1, 1, 3, 123, 123, 123]), false).ok).toBe(false); // JSON "{{{"
    const two = encoding.createEncoder();
    encoding.writeVarUint(two, 2);
    for (const id of [1, 2]) {
      encoding.writeVarUint(two, id);
      encoding.writeVarUint(two, 1);
      encoding.writeVarString(two, JSON.stringify(state));
    }
    expect(checkAwareness(encoding.toUint8Array(two), false).ok).toBe(false);
  });
});

describe("real carets", () => {
  it("takes the caret y-prosemirror publishes (a RelativePosition serialized with nulls)", () => {
    const doc = new Y.Doc();
    const text = doc.getXmlFragment("default");
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText("hello")]);
    text.insert(0, [p]);
    const pos = Y.createRelativePositionFromTypeIndex(p.get(0) as Y.XmlText, 2, -1);
    const out = checkAwareness(update({ user: { name: "Ana", color: "#123456" }, cursor: { anchor: pos, head: pos } }), false);
    expect(out.ok).toBe(true);
  });
});
