/**
 * One instance per client address (its name): the budget that address has for
 * creating documents (POST /api/docs), as a token bucket. A Durable Object, not the
 * platform's Rate Limiting binding, because the limit must come from a `vars` entry
 * (test servers and the bench raise it with --var; the binding's limit is fixed in
 * its own config, periods are 10 or 60 s only, and it gives no time to retry after).
 *
 * The bucket lives in memory only: it refills completely within a minute, and an
 * instance is evicted only after it has been idle for longer than that, so eviction
 * forgets nothing. A restart (a deploy) hands an address one fresh burst at most.
 */
import { DurableObject } from "cloudflare:workers";
import { TokenBucket } from "./room/rate-limit";

export type CreateAdmission = { ok: true } | { ok: false; retryAfterMs: number };

export class CreateLimiter extends DurableObject<Env> {
  private bucket: TokenBucket | null = null;
  private perMinute = 0;

  /** Takes one creation from this address's budget of `perMinute` (also the burst). */
  take(perMinute: number): CreateAdmission {
    if (!this.bucket || perMinute !== this.perMinute) {
      this.bucket = new TokenBucket(perMinute / 60, perMinute);
      this.perMinute = perMinute;
    }
    const waitMs = this.bucket.take();
    return waitMs === 0 ? { ok: true } : { ok: false, retryAfterMs: waitMs };
  }
}
