/**
 * Access tokens. Each document has one secret per link kind (owner, edit, comment, view); the
 * DO stores only SHA-256 hashes, so storage alone cannot reveal a working link, and
 * rotating a link is replacing its hash. Comparisons are constant time.
 */
import { randomId } from "../../shared/ids";
import { TOKEN_BYTES } from "../../shared/limits";
import type { Role } from "../../shared/protocol";
import { LINK_KINDS, type LinkKind } from "../../shared/sharing";

export type { LinkKind };
export const LINK_ROLE: Record<LinkKind, Role> = {
  owner: "owner",
  edit: "editor",
  comment: "commenter",
  view: "viewer",
};

export function newToken(): string {
  return randomId(TOKEN_BYTES);
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function equalConstantTime(a: string, b: string): boolean {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  // Both are hex SHA-256 digests of equal length; the length check leaks nothing.
  if (x.byteLength !== y.byteLength) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}

/** The link kind whose stored hash equals `presented` (a hashToken result), or null.
 * `hashes` maps each kind to its stored hash (absent when that link is off). Every
 * kind is compared, so the time taken does not reveal which one matched. */
export function matchHash(presented: string, hashes: Partial<Record<LinkKind, string>>): LinkKind | null {
  let found: LinkKind | null = null;
  for (const kind of LINK_KINDS) {
    const stored = hashes[kind];
    if (stored !== undefined && equalConstantTime(presented, stored) && found === null) found = kind;
  }
  return found;
}

/** Extracts a bearer token from an Authorization header. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+([A-Za-z0-9_-]{16,128})$/);
  return match?.[1] ?? null;
}
