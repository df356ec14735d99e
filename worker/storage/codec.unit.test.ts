import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { chunk, concat, decodeSnapshot, encodeSnapshot, gunzip, gzip, CODEC_V2, CODEC_V2_GZIP } from "./codec";

describe("snapshot codec", () => {
  it("round-trips a Yjs V2 state through gzip and shrinks text-heavy documents", async () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "the quick brown fox ".repeat(2000));
    const state = Y.encodeStateAsUpdateV2(doc);
    const stored = await encodeSnapshot(state, CODEC_V2_GZIP);
    expect(stored.byteLength).toBeLessThan(state.byteLength / 4);
    expect(await decodeSnapshot(stored, CODEC_V2_GZIP)).toEqual(state);
    expect(await decodeSnapshot(state, CODEC_V2)).toBe(state);
  });

  it("rejects damaged data instead of returning garbage", async () => {
    const stored = await gzip(new TextEncoder().encode(`${"x".repeat(10_000)}y`));
    const damaged = stored.slice();
    damaged[damaged.byteLength - 6]! ^= 0xff; // inside the CRC-32 trailer
    await expect(gunzip(damaged)).rejects.toThrow();
  });

  it("stops inflating past the size cap", async () => {
    const bomb = await gzip(new Uint8Array(5 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(10_000);
    await expect(gunzip(bomb, 1024 * 1024)).rejects.toThrow(/inflates past/);
  });

  it("chunks into bounded pieces that concatenate back", () => {
    const bytes = new Uint8Array(2_500_000).map((_, i) => i % 251);
    const pieces = chunk(bytes, 512 * 1024);
    expect(pieces).toHaveLength(5);
    expect(pieces.every((p) => p.byteLength <= 512 * 1024)).toBe(true);
    const joined = concat(pieces);
    expect(joined.byteLength === bytes.byteLength && joined.every((b, i) => b === bytes[i])).toBe(true);
    expect(chunk(new Uint8Array(0), 10)).toHaveLength(1);
  });
});
