/**
 * Which automatic versions to drop: a spread over time that nothing a link holder does
 * can use to push older versions out.
 *
 * Versions fall in pools that are thinned separately, never against each other:
 *   - scheduled (auto, idle, compaction): made by the server's own clock, at most one per
 *     VERSION_MIN_GAP_MS, whatever anyone sends;
 *   - checkpoints (before-restore, before-rebuild, rebuilt): made on request; a storm of
 *     them only ever competes with other checkpoints;
 *   - named: never thinned here (kept until the owner deletes one).
 *
 * In each pool, keep:
 *   - everything younger than RETAIN_ALL_VERSIONS_MS;
 *   - per clock hour up to RETAIN_HOURLY_VERSIONS_MS, per day up to
 *     RETAIN_DAILY_VERSIONS_MS, per week beyond: the FIRST version of the period (what
 *     the period started from: nothing made later can displace it) and the LAST (the
 *     document as it stood when the period ended, e.g. as people left it);
 *   - the newest of the pool, always (the freshest recovery point);
 *   - past MAX_AUTO_VERSIONS in a pool, the oldest weekly ones go. The other tiers hold at
 *     most a few hundred, so no burst of recent versions can reach this cap.
 * Pure, so the policy is tested without a Durable Object.
 */
import { MAX_AUTO_VERSIONS, RETAIN_ALL_VERSIONS_MS, RETAIN_DAILY_VERSIONS_MS, RETAIN_HOURLY_VERSIONS_MS } from "../../shared/limits";
import { type VersionKind, versionPool } from "../../shared/versions";

export interface RetentionItem {
  id: string;
  createdAt: number;
  kind: VersionKind;
}

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

/** The thinning period a version falls in at `now`, or null while it is kept anyway. */
export function bucketOf(createdAt: number, now: number): string | null {
  const age = now - createdAt;
  if (age < RETAIN_ALL_VERSIONS_MS) return null; // kept individually
  if (age < RETAIN_HOURLY_VERSIONS_MS) return `h${Math.floor(createdAt / HOUR_MS)}`;
  if (age < RETAIN_DAILY_VERSIONS_MS) return `d${Math.floor(createdAt / DAY_MS)}`;
  return `w${Math.floor(createdAt / WEEK_MS)}`;
}

/** Returns the ids to delete. */
export function versionsToThin(items: RetentionItem[], now: number, maxPerPool = MAX_AUTO_VERSIONS): string[] {
  const drop: string[] = [];
  const pools = new Map<string, RetentionItem[]>();
  for (const v of items) {
    const pool = versionPool(v.kind);
    if (pool === "named") continue;
    const list = pools.get(pool) ?? [];
    list.push(v);
    pools.set(pool, list);
  }
  for (const pool of pools.values()) drop.push(...thinPool(pool, now, maxPerPool));
  return drop;
}

function thinPool(items: RetentionItem[], now: number, maxPerPool: number): string[] {
  // Oldest first; ties by id, so the answer never depends on the input's order.
  const sorted = [...items].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const first = new Map<string, RetentionItem>();
  const last = new Map<string, RetentionItem>();
  for (const v of sorted) {
    const bucket = bucketOf(v.createdAt, now);
    if (bucket === null) continue;
    if (!first.has(bucket)) first.set(bucket, v);
    last.set(bucket, v);
  }
  const newest = sorted[sorted.length - 1];
  const keep = sorted.filter((v) => {
    const bucket = bucketOf(v.createdAt, now);
    return v === newest || bucket === null || first.get(bucket) === v || last.get(bucket) === v;
  });
  const kept = new Set(keep.map((v) => v.id));
  const drop = sorted.filter((v) => !kept.has(v.id)).map((v) => v.id);
  // The hard stop: only weekly versions go, oldest first (keep is oldest first).
  let over = keep.length - maxPerPool;
  for (const v of keep) {
    if (over <= 0) break;
    if (now - v.createdAt < RETAIN_DAILY_VERSIONS_MS || v === newest) continue;
    drop.push(v.id);
    over -= 1;
  }
  return drop;
}
