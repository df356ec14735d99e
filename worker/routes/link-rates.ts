/**
 * Rate limits per link for what is cheap to ask and dear to serve (restores, named
 * versions, compares, authorship answers): one token bucket per link kind and action, shared by everyone who holds
 * that link. A reset link starts a new generation and a fresh bucket. The owner link has
 * buckets of its own, so no other link's use can lock the owner out.
 *
 * In memory, like the socket budgets: hibernation or eviction refills them, which a room
 * only reaches after being idle, when they would have refilled anyway.
 */
import {
  AUTHORSHIP_READS_PER_MINUTE_PER_LINK,
  COMPARES_PER_MINUTE_PER_LINK,
  RESTORES_PER_MINUTE_PER_LINK,
  VERSION_NAMES_PER_MINUTE_PER_LINK,
} from "../../shared/limits";
import type { ErrorBody } from "../../shared/api";
import type { LinkKind } from "../../shared/sharing";
import { json } from "../lib/http";
import { TokenBucket } from "../room/rate-limit";

export type RatedAction = "restore" | "name" | "compare" | "authorship";

const PER_MINUTE: Record<RatedAction, number> = {
  restore: RESTORES_PER_MINUTE_PER_LINK,
  name: VERSION_NAMES_PER_MINUTE_PER_LINK,
  compare: COMPARES_PER_MINUTE_PER_LINK,
  authorship: AUTHORSHIP_READS_PER_MINUTE_PER_LINK,
};

export class LinkRates {
  private readonly buckets = new Map<string, { gen: number; bucket: TokenBucket }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one for `action` from the link's bucket: 0 when allowed, else the ms until
   * one is free. */
  take(link: { kind: LinkKind; gen: number }, action: RatedAction): number {
    const key = `${link.kind}:${action}`;
    let entry = this.buckets.get(key);
    if (!entry || entry.gen !== link.gen) {
      const perMinute = PER_MINUTE[action];
      entry = { gen: link.gen, bucket: new TokenBucket(perMinute / 60, perMinute) };
      this.buckets.set(key, entry);
    }
    return entry.bucket.take(this.now());
  }
}

/** 429 with Retry-After (whole seconds) and a typed body. */
export function tooMany(waitMs: number, message: string): Response {
  const body: ErrorBody = { error: "rate-limited", message };
  return json(body, 429, { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) });
}
