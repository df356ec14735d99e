import { DOC_ID_MAX_CHARS, DOC_ID_MIN_CHARS } from "./limits";

const DOC_ID_RE = /^[A-Za-z0-9_-]+$/;

/** True for ids Quire could have issued: URL-safe, bounded length. Anything else
 * (`..`, slashes, overlong) is rejected before a Durable Object is touched. */
export function isValidDocId(id: string): boolean {
  return id.length >= DOC_ID_MIN_CHARS && id.length <= DOC_ID_MAX_CHARS && DOC_ID_RE.test(id);
}

/** base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes of a base64url string (padding optional), or null if it is not one. */
export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const bin = atob(
    s
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(s.length / 4) * 4, "="),
  );
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A fresh random id or token of `byteLength` random bytes. */
export function randomId(byteLength = 16): string {
  const bytes = new Uint8Array(byteLength);
  crypto.getRandomValues(bytes);
  return toBase64Url(bytes);
}

/** A Yjs client id nobody has written with in a document (`taken`), drawn as Yjs draws
 * its own: 32 random bits. Used to write a piece under an id of its own (a restore, an
 * accepted AI answer), so the server can record who it belongs to. */
export function freshClientId(taken: { store: { clients: Map<number, unknown> } }): number {
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    const id = word[0]!;
    if (!taken.store.clients.has(id)) return id;
  }
}
