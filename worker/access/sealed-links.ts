/**
 * The share links' tokens, kept so that only an owner-token holder can read them back:
 * each token is sealed with AES-GCM-256 under a key derived from the owner token with
 * HKDF-SHA-256. The owner token is 256 random bits, so no password stretching (PBKDF2)
 * is needed, and the server never stores it: only its SHA-256 hash, from which the key
 * cannot be computed. The key exists only while a request carrying the owner token is
 * handled. Design and threat model: docs/SECURITY.md ("Share links the owner can read
 * back").
 *
 * A sealed value is `v1.<iv>.<ciphertext>` (base64url); the additional data binds it to
 * its document and link kind, so a value copied to another document or kind does not
 * open.
 */
import { fromBase64Url, toBase64Url } from "../../shared/ids";
import type { ShareLinkKind } from "../../shared/sharing";

const VERSION = "v1";
const IV_BYTES = 12;
const HKDF_INFO = "quire share-link tokens v1";

export type SealKey = CryptoKey;

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The key that seals a document's share links, from its owner token. The document id
 * is the salt: one owner token can never open another document's values. */
export async function sealKey(ownerToken: string, docId: string): Promise<SealKey> {
  const base = await crypto.subtle.importKey("raw", utf8(ownerToken), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: utf8(docId), info: utf8(HKDF_INFO) },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const additionalData = (docId: string, kind: ShareLinkKind) => utf8(`${docId}/${kind}`);

export async function seal(key: SealKey, docId: string, kind: ShareLinkKind, token: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(docId, kind) }, key, utf8(token));
  return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** The token, or null when the value was not sealed under this key, document and kind
 * (or is damaged): AES-GCM authenticates, so a wrong key never yields a wrong token. */
export async function unseal(key: SealKey, docId: string, kind: ShareLinkKind, value: string): Promise<string | null> {
  const [version, ivText, dataText] = value.split(".");
  if (version !== VERSION || ivText === undefined || dataText === undefined) return null;
  const iv = fromBase64Url(ivText);
  const data = fromBase64Url(dataText);
  if (!iv || iv.byteLength !== IV_BYTES || !data) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: additionalData(docId, kind) }, key, data);
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
