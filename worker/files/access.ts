/**
 * Who may read a document's files: the holder of any working link, by bearer token
 * (API clients) or by the file key an <img> carries in its URL (shared/files.ts).
 * Keys are derived from the stored link hashes, so they change with them: a reset
 * or switched-off link's key stops working in the same moment as the link.
 */
import { fileKeyFromHash, fileKeyFromToken } from "../../shared/files";
import type { Role } from "../../shared/protocol";
import { LINK_KINDS, type LinkKind } from "../../shared/sharing";
import { bearerToken } from "../access/auth";

export interface LinkSource {
  /** The stored hash of every link that is on. */
  hashes(): Partial<Record<LinkKind, string>>;
  /** The role a request's bearer token grants, or the error to answer with. */
  authorize(request: Request): Promise<Role | Response>;
}

function equalConstantTime(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  // Keys are fixed-length digests: the length check reveals nothing about the key.
  if (x.byteLength !== y.byteLength) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}

export class FileAccess {
  /** Keys per hash fingerprint: derived once per link change, not per request. */
  private cached: { fingerprint: string; keys: Partial<Record<LinkKind, string>> } | null = null;

  constructor(
    private readonly docId: () => string,
    private readonly links: LinkSource,
  ) {}

  /** The file key of each link that is on. */
  async keys(): Promise<Partial<Record<LinkKind, string>>> {
    const hashes = this.links.hashes();
    const fingerprint = LINK_KINDS.map((k) => hashes[k] ?? "").join(":");
    if (this.cached?.fingerprint === fingerprint) return this.cached.keys;
    const keys: Partial<Record<LinkKind, string>> = {};
    for (const kind of LINK_KINDS) {
      const hash = hashes[kind];
      if (hash !== undefined) keys[kind] = await fileKeyFromHash(this.docId(), hash);
    }
    this.cached = { fingerprint, keys };
    return keys;
  }

  /** True when `key` is the file key of a link that is on. Every link's key is
   * compared, so the time taken does not tell which one matched. */
  async keyWorks(key: string): Promise<boolean> {
    const keys = await this.keys();
    let ok = false;
    for (const kind of LINK_KINDS) {
      const k = keys[kind];
      if (k !== undefined && equalConstantTime(key, k)) ok = true;
    }
    return ok;
  }

  /** The file key for the link a bearer token belongs to (exports write it into the
   * addresses of images, so a downloaded HTML page shows them). */
  async keyForRequest(request: Request): Promise<string | null> {
    const token = bearerToken(request);
    if (!token) return null;
    const key = await fileKeyFromToken(this.docId(), token);
    return (await this.keyWorks(key)) ? key : null;
  }
}
