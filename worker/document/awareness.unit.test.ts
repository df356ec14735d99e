import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { checkAwareness } from "./awareness";

function update(state: Record<string, unknown>): Uint8Array {
  const doc = new Y.Doc();
  const a = new awarenessProtocol.Awareness(doc);
  a.setLocalState(state);
  clearInterval((a as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  return awarenessProtocol.encodeAwarenessUpdate(a, [doc.clientID]);
}

function decoded(u: Uint8Array): unknown {
  const doc = new Y.Doc();
  const a = new awarenessProtocol.Awareness(doc);
  clearInterval((a as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  awarenessProtocol.applyAwarenessUpdate(a, u, null);
  return [...a.getStates().values()].find((s) => "user" in s);
}

describe("checkAwareness", () => {
  const state = { user: { name: "Ana", color: "#123456" }, cursor: { anchor: 1, head: 2 } };

  it("passes an editor's update through unchanged", () => {
    const u = update(state);
    expect(checkAwareness(u, false)).toBe(u);
  });

  it("removes a viewer's caret and marks them as a viewer", () => {
    const out = checkAwareness(update(state), true);
    expect(out).not.toBeNull();
    expect(decoded(out!)).toEqual({ user: state.user, cursor: null, viewer: true });
  });

  it("rejects malformed updates", () => {
    expect(checkAwareness(new Uint8Array([1, 5, 1]), false)).toBeNull();
    const bad = new Uint8Array([1, 1, 1, 3, 123, 123, 123]); // one state whose JSON is "{{{"
    expect(checkAwareness(bad, false)).toBeNull();
    expect(checkAwareness(new Uint8Array([200, 1]), false)).toBeNull(); // too many states
  });
});
