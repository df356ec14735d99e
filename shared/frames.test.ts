import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { encodeAwarenessFrame, encodeSyncFrame, readFrame, SyncType } from "./frames";

describe("readFrame", () => {
  it("reads the standard y-websocket frames", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "hi");
    const update = Y.encodeStateAsUpdate(doc);
    expect(readFrame(encodeSyncFrame(SyncType.Update, update))).toEqual({ kind: "update", update });
    expect(readFrame(encodeSyncFrame(SyncType.Step2, update))?.kind).toBe("sync-step2");
    expect(readFrame(encodeSyncFrame(SyncType.Step1, Y.encodeStateVector(doc)))?.kind).toBe("sync-step1");
    expect(readFrame(encodeAwarenessFrame(new Uint8Array([0])))?.kind).toBe("awareness");
    expect(readFrame(new Uint8Array([3]))).toEqual({ kind: "query-awareness" });
  });

  it.each([
    ["empty", []],
    ["unknown type", [9]],
    ["unknown sync type", [0, 7, 0]],
    ["truncated length", [0, 2, 10, 1, 2]],
    ["huge varint", [0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
    ["trailing bytes", [0, 2, 1, 0, 99]],
    ["auth message", [2, 0]],
  ])("returns null for %s", (_name, bytes) => {
    expect(readFrame(new Uint8Array(bytes))).toBeNull();
  });
});
