import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { SyncAnswers } from "./sync";

describe("SyncAnswers", () => {
  it("encodes the whole document once for clients that have nothing, until it changes", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "one");
    const answers = new SyncAnswers(() => doc);
    const nothing = Y.encodeStateVector(new Y.Doc());
    const first = answers.step2(nothing);
    expect(answers.step2(nothing)).toBe(first);
    doc.getText("t").insert(3, " two");
    expect(answers.step2(nothing)).toBe(first); // the room calls changed() on every change
    answers.changed();
    const second = answers.step2(nothing);
    expect(second).not.toBe(first);
    const copy = new Y.Doc();
    const d = decoding.createDecoder(second);
    decoding.readVarUint(d); // sync
    decoding.readVarUint(d); // step 2
    Y.applyUpdate(copy, decoding.readVarUint8Array(d));
    expect(copy.getText("t").toString()).toBe("one two");
  });

  it("answers a client that has something with what it lacks, never from the kept answer", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "one");
    const answers = new SyncAnswers(() => doc);
    const whole = answers.step2(Y.encodeStateVector(new Y.Doc()));
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
    const diff = answers.step2(Y.encodeStateVector(client));
    expect(diff).not.toBe(whole);
    expect(diff.byteLength).toBeLessThan(whole.byteLength);
  });
});
