import { describe, expect, it } from "vitest";
import type { VersionKind } from "../../shared/versions";
import { bucketOf, versionsToThin, type RetentionItem } from "./retention";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

const at = (id: string, ageMs: number, kind: VersionKind = "auto"): RetentionItem => ({ id, createdAt: NOW - ageMs, kind });
const kept = (items: RetentionItem[], now = NOW, max?: number) => {
  const dropped = new Set(versionsToThin(items, now, max));
  return items.filter((v) => !dropped.has(v.id));
};

/** A small deterministic PRNG, so a failure names its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("version retention", () => {
  it("keeps every version of the last hour", () => {
    const items = Array.from({ length: 50 }, (_, i) => at(`v${i}`, i * MIN));
    expect(versionsToThin(items, NOW)).toEqual([]);
  });

  it("keeps the first and last per hour for a day, per day for a month, per week after", () => {
    const items: RetentionItem[] = [];
    // Every 10 minutes for 60 days.
    for (let age = 0; age < 60 * DAY; age += 10 * MIN) items.push(at(`a${age}`, age));
    const left = kept(items, NOW, 10_000);
    const ages = left.map((v) => NOW - v.createdAt);
    expect(ages.filter((a) => a < HOUR)).toHaveLength(6);
    const inTier = (lo: number, hi: number) => left.filter((v) => NOW - v.createdAt >= lo && NOW - v.createdAt < hi);
    const perBucket = (vs: RetentionItem[], size: number) => {
      const m = new Map<number, RetentionItem[]>();
      for (const v of vs) m.set(Math.floor(v.createdAt / size), [...(m.get(Math.floor(v.createdAt / size)) ?? []), v]);
      return m;
    };
    const hourly = perBucket(inTier(HOUR, DAY), HOUR);
    expect(hourly.size).toBeGreaterThanOrEqual(23);
    expect(hourly.size).toBeLessThanOrEqual(25);
    for (const [bucket, vs] of hourly) {
      expect(vs.length).toBeLessThanOrEqual(2);
      // The first and the last of the clock hour (among those old enough to be thinned).
      const all = items.filter((x) => NOW - x.createdAt >= HOUR && NOW - x.createdAt < DAY && Math.floor(x.createdAt / HOUR) === bucket);
      const times = all.map((x) => x.createdAt);
      expect(vs.map((v) => v.createdAt).sort()).toEqual([...new Set([Math.min(...times), Math.max(...times)])].sort());
    }
    const daily = perBucket(inTier(DAY, 30 * DAY), DAY);
    expect(daily.size).toBeLessThanOrEqual(31);
    for (const vs of daily.values()) expect(vs.length).toBeLessThanOrEqual(2);
    const weekly = perBucket(inTier(30 * DAY, Number.POSITIVE_INFINITY), 7 * DAY);
    expect(weekly.size).toBeGreaterThanOrEqual(4);
    expect(weekly.size).toBeLessThanOrEqual(6);
    for (const vs of weekly.values()) expect(vs.length).toBeLessThanOrEqual(2);
  });

  it("never drops named versions, and always keeps the newest automatic one", () => {
    const items: RetentionItem[] = [
      at("n1", 400 * DAY, "named"),
      at("n2", 400 * DAY - 1, "named"),
      // Three in the same week bucket (NOW is a Monday noon; weeks start on Thursdays).
      at("old1", 100 * DAY),
      at("old2", 100 * DAY - HOUR),
      at("old3", 100 * DAY - 2 * HOUR),
    ];
    expect(Math.floor(items[2]!.createdAt / (7 * DAY))).toBe(Math.floor(items[4]!.createdAt / (7 * DAY)));
    // old1 is the first of its week, old3 its last and the newest of all.
    expect(versionsToThin(items, NOW)).toEqual(["old2"]);
  });

  it("a storm of restore checkpoints thins only among checkpoints", () => {
    const scheduled = Array.from({ length: 40 }, (_, i) => at(`s${i}`, 2 * HOUR + i * 7 * MIN));
    const storm = Array.from({ length: 2_000 }, (_, i) => at(`c${i}`, i * 1000, "before-restore"));
    const before = new Set(kept(scheduled).map((v) => v.id));
    const after = kept([...scheduled, ...storm]);
    expect(new Set(after.filter((v) => v.kind === "auto").map((v) => v.id))).toEqual(before);
    // However many checkpoints a pool holds, only weekly ones ever go for the cap.
    expect(kept(storm, NOW, 10)).toHaveLength(2_000);
  });

  it("past the cap, only the oldest weekly versions go", () => {
    const items = [
      ...Array.from({ length: 30 }, (_, i) => at(`w${i}`, 40 * DAY + i * 7 * DAY)),
      ...Array.from({ length: 30 }, (_, i) => at(`r${i}`, i * MIN)),
    ];
    const dropped = versionsToThin(items, NOW, 40);
    expect(dropped).toEqual(Array.from({ length: 20 }, (_, i) => `w${29 - i}`));
  });

  it("a version is never thinned sooner because of versions made after it", () => {
    // Whatever is added later (scheduled versions at most one a minute, checkpoints at
    // any rate), every version that is the first of its period stays, at any later time.
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const history: RetentionItem[] = [];
      const made = NOW - 2 * DAY;
      for (let t = NOW - 90 * DAY; t < made; t += Math.floor(r() * 3 * DAY) + MIN) {
        history.push({ id: `h${t}`, createdAt: t, kind: r() < 0.3 ? "before-restore" : "idle" });
      }
      const later: RetentionItem[] = [];
      for (let k = 0; k < 300; k++) {
        const when = made + Math.floor(r() * 2 * DAY);
        later.push({ id: `l${k}`, createdAt: when, kind: r() < 0.5 ? "before-restore" : "auto" });
      }
      for (const lookAt of [NOW, NOW + 3 * HOUR, NOW + 5 * DAY, NOW + 60 * DAY]) {
        const without = new Set(kept(history, lookAt).map((v) => v.id));
        const withLater = new Set(kept([...history, ...later], lookAt).map((v) => v.id));
        const lost = [...without].filter((id) => !withLater.has(id));
        // What may go is a version that was kept only as the last of its period or the
        // newest of its pool: never the first of its period.
        for (const id of lost) {
          const v = history.find((x) => x.id === id)!;
          const bucket = bucketOf(v.createdAt, lookAt);
          const older = history.filter(
            (x) => (x.kind === "idle") === (v.kind === "idle") && x.createdAt < v.createdAt && bucketOf(x.createdAt, lookAt) === bucket,
          );
          expect(bucket === null || older.length > 0, `seed ${seed}: ${id} was the first of ${bucket}`).toBe(true);
        }
      }
    }
  });
});
