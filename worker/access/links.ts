/**
 * The document's links (owner, edit, comment, view) as the Durable Object sees them: a stored
 * SHA-256 hash per link that is on, and a generation per link that grows on every
 * reset or switch. A connection remembers the link kind and generation it was let in
 * with (conn.setState, so it survives hibernation); it keeps its rights only while
 * that generation is current. That is what lets a reset cut people already connected,
 * and also closes the race where a socket passed the token check just before a reset
 * and finishes its upgrade just after it.
 *
 * Beside each share link's hash the DO keeps its token sealed under a key only the
 * owner token derives (sealed-links.ts), so the owner can read the current links back
 * in any browser; a sealed value changes in the same commit as its hash.
 */
import type { LinkStates } from "../../shared/sharing";
import type { Role } from "../../shared/protocol";
import { LINK_KINDS, SHARE_LINK_KINDS, type LinkKind, type ShareLinkKind } from "../../shared/sharing";
import { jsonError } from "../lib/http";
import { LINK_ROLE, bearerToken, hashToken, matchHash, newToken } from "./auth";
import type { DocStore } from "../storage/store";
import { linkGenKey, sealedLinkKey, tokenHashKey } from "../storage/meta-keys";
import { seal, sealKey, unseal, type SealKey } from "./sealed-links";

/** What a connection (or a request) was admitted with. */
export interface Grant {
  kind: LinkKind;
  gen: number;
}

interface LinkEntry {
  hash: string | null;
  gen: number;
  /** The token sealed under the owner's key (share links only; null when unknown). */
  sealed: string | null;
}

/** A share link as its owner reads it back: on with its token (null for a link issued
 * before tokens were sealed, or one that cannot be opened), or off. */
export type RevealedLink = { state: "on"; token: string | null } | { state: "off" };

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
      const sealed = kind === "owner" ? null : this.store.getMeta(sealedLinkKey(kind));
      return {
        hash: typeof hash === "string" ? hash : null,
        gen: typeof gen === "number" ? gen : 0,
        sealed: typeof sealed === "string" ? sealed : null,
      };
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

  /** The sealed share-link tokens (for the R2 copy of the document's meta). */
  sealedValues(): Partial<Record<ShareLinkKind, string>> {
    const out: Partial<Record<ShareLinkKind, string>> = {};
    for (const kind of SHARE_LINK_KINDS) {
      const v = this.entries()[kind].sealed;
      if (v !== null) out[kind] = v;
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
   * every grant made from the old one stops being current. A share link's sealed token
   * is replaced in the same commit (dropped when none is given: a sealed copy of an old
   * token is never kept). Synchronous: one commit. */
  set(kind: LinkKind, hash: string | null, sealed: string | null = null): void {
    const entry = this.entries()[kind];
    const gen = entry.gen + 1;
    if (hash === null) this.store.deleteMeta(tokenHashKey(kind));
    else this.store.setMeta(tokenHashKey(kind), hash);
    this.store.setMeta(linkGenKey(kind), gen);
    const kept = kind !== "owner" && hash !== null ? sealed : null;
    this.writeSealed(kind, kept);
    this.entries()[kind] = { hash, gen, sealed: kept };
  }

  private writeSealed(kind: LinkKind, sealed: string | null): void {
    if (kind === "owner") return;
    if (sealed === null) this.store.deleteMeta(sealedLinkKey(kind));
    else this.store.setMeta(sealedLinkKey(kind), sealed);
  }

  /** Stores all four links of a new document (synchronous; issue and seal them first). */
  create(issued: Record<LinkKind, { hash: string; sealed?: string }>): void {
    for (const kind of LINK_KINDS) this.set(kind, issued[kind].hash, issued[kind].sealed ?? null);
  }

  /** The share links as the holder of `ownerToken` reads them back. Callers check that
   * the token is the current owner token; a token is returned only if its hash is the
   * link's current one (a value sealed for an older token never comes back). */
  async reveal(ownerToken: string, docId: string): Promise<Record<ShareLinkKind, RevealedLink>> {
    const key = await sealKey(ownerToken, docId);
    const snapshot = SHARE_LINK_KINDS.map((kind) => ({ kind, ...this.entries()[kind] }));
    const opened = await Promise.all(
      snapshot.map(async (e) => {
        if (e.hash === null || e.sealed === null) return null;
        const token = await unseal(key, docId, e.kind, e.sealed);
        return token !== null && (await hashToken(token)) === e.hash ? token : null;
      }),
    );
    const out = {} as Record<ShareLinkKind, RevealedLink>;
    snapshot.forEach((e, i) => {
      // Re-read after the awaits: a link reset meanwhile shows its new state, never the old token.
      const now = this.entries()[e.kind];
      out[e.kind] = now.hash === null ? { state: "off" } : { state: "on", token: now.hash === e.hash ? opened[i]! : null };
    });
    return out;
  }

  /** The owner link's new hash, and every share link's token sealed again under the new
   * owner key (sealed values that cannot be opened with the old key are dropped).
   * Async: opens and seals; `commitOwnerReset` then stores it in one commit. */
  async prepareOwnerReset(oldOwnerToken: string, newOwnerToken: string, docId: string): Promise<OwnerReset> {
    const current = await this.reveal(oldOwnerToken, docId);
    const key = await sealKey(newOwnerToken, docId);
    const resealed: Partial<Record<ShareLinkKind, string>> = {};
    for (const kind of SHARE_LINK_KINDS) {
      const link = current[kind];
      if (link.state === "on" && link.token !== null) resealed[kind] = await seal(key, docId, kind, link.token);
    }
    return { hash: await hashToken(newOwnerToken), resealed, basis: this.shareHashes() };
  }

  /** Stores a prepared owner reset (synchronous: one commit). A share link that changed
   * since it was prepared keeps its hash but loses its sealed copy. */
  commitOwnerReset(reset: OwnerReset): void {
    this.set("owner", reset.hash);
    for (const kind of SHARE_LINK_KINDS) {
      const entry = this.entries()[kind];
      const sealed = entry.hash !== null && entry.hash === reset.basis[kind] ? (reset.resealed[kind] ?? null) : null;
      this.writeSealed(kind, sealed);
      entry.sealed = sealed;
    }
  }

  private shareHashes(): Record<ShareLinkKind, string | null> {
    const e = this.entries();
    return { edit: e.edit.hash, comment: e.comment.hash, view: e.view.hash };
  }
}

export interface OwnerReset {
  hash: string;
  resealed: Partial<Record<ShareLinkKind, string>>;
  /** The share links' hashes the values were sealed for. */
  basis: Record<ShareLinkKind, string | null>;
}

/** A new share-link token, its hash, and the token sealed under the owner's key. */
export async function issueSealed(
  key: SealKey,
  docId: string,
  kind: ShareLinkKind,
): Promise<{ token: string; hash: string; sealed: string }> {
  const issued = await issueToken();
  return { ...issued, sealed: await seal(key, docId, kind, issued.token) };
}

/** Fresh tokens for all four links of a new document, the share links sealed under the
 * new owner token's key. */
export async function issueAll(
  docId: string,
): Promise<{ owner: { token: string; hash: string } } & Record<ShareLinkKind, { token: string; hash: string; sealed: string }>> {
  const owner = await issueToken();
  const key = await sealKey(owner.token, docId);
  const [edit, comment, view] = await Promise.all(SHARE_LINK_KINDS.map((kind) => issueSealed(key, docId, kind)));
  return { owner, edit: edit!, comment: comment!, view: view! };
}
