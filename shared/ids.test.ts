import { describe, expect, it } from "vitest";
import { fromBase64Url, isValidDocId, randomId, toBase64Url } from "./ids";

describe("document ids", () => {
  it("issues 128-bit URL-safe ids that validate", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId(16)));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(isValidDocId(id)).toBe(true);
    }
  });
  it.each(["..", "../../etc/passwd", "a/b", "short", "x".repeat(65), "abc%2Fdefghijklmnop", "ünïcödé-ïd-ïs-löng"])("rejects %s", (id) =>
    expect(isValidDocId(id)).toBe(false),
  );
});

describe("base64url", () => {
  it("round-trips every length and refuses what is not base64url", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
    for (const bad of ["a", "ab+c", "ab/c", "a=b", "abcde"]) expect(fromBase64Url(bad)).toBeNull();
  });
});
