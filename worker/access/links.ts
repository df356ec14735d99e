/**
 * The document's links (owner, edit, comment, view) as the Durable Object sees them: a stored
 * SHA-256 hash per link that is on, and a generation per link that grows on every
 * reset or switch. A connection remembers the link kind and generation it was let in
 * with (conn.setState, so it survives hibernation); it keeps its rights only while
 * that generation is current. That is what lets a reset cut people already connected,
 * and also closes the race where a socket passed the token check just before a reset
 * and finishes its upgrade just after it.
 */
import type { LinkStates } from "../../shared/sharing";
import type { Role } from "../../shared/protocol";
import { LINK_KINDS, type LinkKind } from "../../shared/sharing";
import { jsonError } from "../lib/http";
import { LINK_ROLE, bearerToken, hashToken, matchHash, newToken } from "./auth";
import type { DocStore } from "../storage/store";
import { linkGenKey, tokenHashKey } from "../storage/meta-keys";

/** What a connection (or a request) was admitted with. */
export interface Grant {
  kind: LinkKind;
  gen: number;
}

interface LinkEntry {
  hash: string | null;
  gen: number;
}

export const roleOfGrant = (grant: Grant): Role => LINK_ROLE[grant.kind];

/** A new secret and its hash. Hashing is async, so callers issue first and then
 * change the stored links in one synchronous block. */
export async function issueToken(): Promise<{ token: string; hash: string }> {
  const token = newToken();
  return { token, hash: await hashToken(token) };
}

export class Links {
  /** Only this Durable Object writes these rows, so a cache stays exact; it makes
   * the per-message check free. */
  private cache: Record<LinkKind, LinkEntry> | null = null;

  constructor(private readonly store: DocStore) {}

  private entries(): Record<LinkKind, LinkEntry> {
    if (this.cache) return this.cache;
    const read = (kind: LinkKind): LinkEntry => {
      const hash = this.store.getMeta(tokenHashKey(kind));
      const gen = this.store.getMeta(linkGenKey(kind));
      return { hash: typeof hash === "string" ? hash : null, gen: typeof gen === "number" ? gen : 0 };
    };
    this.cache = { owner: read("owner"), edit: read("edit"), comment: read("comment"), view: read("view") };
    return this.cache;
  }

  /** Forget the cache (after storage was wiped). */
  invalidate(): void {
    this.cache = null;
  }

  /** The stored hash of every link that is on (for the R2 copy of the document's meta). */
  hashes(): Partial<Record<LinkKind, string>> {
    const out: Partial<Record<LinkKind, string>> = {};
    for (const kind of LINK_KINDS) {
      const h = this.entries()[kind].hash;
      if (h !== null) out[kind] = h;
    }
    return out;
  }

  isOn(kind: LinkKind): boolean {
    return this.entries()[kind].hash !== null;
  }

  states(): LinkStates {
    const state = (kind: LinkKind) => (this.isOn(kind) ? "on" : "off");
    return { edit: state("edit"), comment: state("comment"), view: state("view") };
  }

  /** The role a request's bearer token grants, or the error to answer with. */
  async authorize(request: Request): Promise<Role | Response> {
    const token = bearerToken(request);
    if (!token) return jsonError(401, "unauthorized", "Send Authorization: Bearer <edit or view token>");
    const grant = await this.grantFor(token);
    return grant ? LINK_ROLE[grant.kind] : jsonError(403, "forbidden", "This token does not open this document");
  }

  /** The grant a presented token earns now, or null. The comparison runs after the
   * hash is computed, against the links as they are at that moment. */
  async grantFor(token: string): Promise<Grant | null> {
    const presented = await hashToken(token);
    const entries = this.entries();
    const hashes: Partial<Record<LinkKind, string>> = {};
    for (const kind of LINK_KINDS) {
      const h = entries[kind].hash;
      if (h !== null) hashes[kind] = h;
    }
    const kind = matchHash(presented, hashes);
    return kind ? { kind, gen: entries[kind].gen } : null;
  }

  /** True while the link a grant was made from is on and has not been reset since. */
  isCurrent(grant: Grant): boolean {
    const entry = this.entries()[grant.kind];
    return entry.hash !== null && entry.gen === grant.gen;
  }

  /** Replaces a link's hash (null turns the link off) and starts a new generation, so
   * every grant made from the old one stops being current. Synchronous: one commit. */
  set(kind: LinkKind, hash: string | null): void {
    const entry = this.entries()[kind];
    const gen = entry.gen + 1;
    if (hash === null) this.store.deleteMeta(tokenHashKey(kind));
    else this.store.setMeta(tokenHashKey(kind), hash);
    this.store.setMeta(linkGenKey(kind), gen);
    this.entries()[kind] = { hash, gen };
  }

  /** Stores all four links of a new document (synchronous; issue them first). */
  create(issued: Record<LinkKind, { hash: string }>): void {
    for (const kind of LINK_KINDS) this.set(kind, issued[kind].hash);
  }
}

/** Fresh tokens for all four links of a new document. */
export async function issueAll(): Promise<Record<LinkKind, { token: string; hash: string }>> {
  const [owner, edit, comment, view] = await Promise.all([issueToken(), issueToken(), issueToken(), issueToken()]);
  return { owner, edit, comment, view };
}
