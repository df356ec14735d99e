/**
 * Which automatic versions to drop. Named versions are never dropped. Of the
 * automatic ones, keep:
 *   - the newest one, always (it is the freshest recovery point in R2);
 *   - everything younger than RETAIN_ALL_VERSIONS_MS;
 *   - the newest per hour up to RETAIN_HOURLY_VERSIONS_MS, per day up to
 *     RETAIN_DAILY_VERSIONS_MS, per week beyond;
 *   - and never more than MAX_AUTO_VERSIONS (the oldest go first).
 * Pure, so the policy is tested without a Durable Object.
 */
import { MAX_AUTO_VERSIONS, RETAIN_ALL_VERSIONS_MS, RETAIN_DAILY_VERSIONS_MS, RETAIN_HOURLY_VERSIONS_MS } from "../../shared/limits";
import type { VersionKind } from "../../shared/versions";

export interface RetentionItem {
  id: string;
  createdAt: number;
  kind: VersionKind;
}

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

function bucketOf(createdAt: number, now: number): string | null {
  const age = now - createdAt;
  if (age < RETAIN_ALL_VERSIONS_MS) return null; // kept individually
  if (age < RETAIN_HOURLY_VERSIONS_MS) return `h${Math.floor(createdAt / HOUR_MS)}`;
  if (age < RETAIN_DAILY_VERSIONS_MS) return `d${Math.floor(createdAt / DAY_MS)}`;
  return `w${Math.floor(createdAt / WEEK_MS)}`;
}

/** Returns the ids to delete. */
export function versionsToThin(items: RetentionItem[], now: number, maxAuto = MAX_AUTO_VERSIONS): string[] {
  const auto = items.filter((v) => v.kind !== "named").sort((a, b) => b.createdAt - a.createdAt);
  const keep: RetentionItem[] = [];
  const drop: string[] = [];
  const seen = new Set<string>();
  auto.forEach((v, i) => {
    const bucket = bucketOf(v.createdAt, now);
    // The newest is kept whatever its age; it still claims its bucket.
    if (i === 0 || bucket === null || !seen.has(bucket)) {
      if (bucket !== null) seen.add(bucket);
      keep.push(v);
    } else {
      drop.push(v.id);
    }
  });
  // keep is newest first: past the cap, the oldest go.
  for (const v of keep.slice(maxAuto)) drop.push(v.id);
  return drop;
}
