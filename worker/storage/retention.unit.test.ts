import { describe, expect, it } from "vitest";
import { versionsToThin, type RetentionItem } from "./retention";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

const auto = (id: string, ageMs: number): RetentionItem => ({ id, createdAt: NOW - ageMs, kind: "auto" });

describe("version retention", () => {
  it("keeps every version of the last hour", () => {
    const items = Array.from({ length: 50 }, (_, i) => auto(`v${i}`, i * MIN));
    expect(versionsToThin(items, NOW)).toEqual([]);
  });

  it("keeps the newest per hour for a day, per day for a month, per week after", () => {
    const items: RetentionItem[] = [];
    // Every 10 minutes for 60 days.
    for (let age = 0; age < 60 * DAY; age += 10 * MIN) items.push(auto(`a${age}`, age));
    const dropped = new Set(versionsToThin(items, NOW, 10_000));
    const kept = items.filter((v) => !dropped.has(v.id));
    const ages = kept.map((v) => NOW - v.createdAt);
    expect(ages.filter((a) => a < HOUR)).toHaveLength(6);
    // Between 1 h and 24 h: at most one per clock hour (24 buckets touch that span).
    const hourly = kept.filter((v) => NOW - v.createdAt >= HOUR && NOW - v.createdAt < DAY);
    expect(new Set(hourly.map((v) => Math.floor(v.createdAt / HOUR))).size).toBe(hourly.length);
    expect(hourly.length).toBeGreaterThanOrEqual(23);
    expect(hourly.length).toBeLessThanOrEqual(25);
    const daily = kept.filter((v) => NOW - v.createdAt >= DAY && NOW - v.createdAt < 30 * DAY);
    expect(new Set(daily.map((v) => Math.floor(v.createdAt / DAY))).size).toBe(daily.length);
    expect(daily.length).toBeLessThanOrEqual(30);
    const weekly = kept.filter((v) => NOW - v.createdAt >= 30 * DAY);
    expect(weekly.length).toBeGreaterThanOrEqual(4);
    expect(weekly.length).toBeLessThanOrEqual(6);
    // The newest in each bucket is the one kept.
    for (const v of hourly) {
      const sameHour = items.filter((x) => NOW - x.createdAt >= HOUR && Math.floor(x.createdAt / HOUR) === Math.floor(v.createdAt / HOUR));
      expect(Math.max(...sameHour.map((x) => x.createdAt))).toBe(v.createdAt);
    }
  });

  it("never drops named versions, and always keeps the newest automatic one", () => {
    const items: RetentionItem[] = [
      { id: "n1", createdAt: NOW - 400 * DAY, kind: "named" },
      { id: "n2", createdAt: NOW - 400 * DAY + 1, kind: "named" },
      // Both in the same week bucket (NOW is a Monday noon; weeks start on Thursdays).
      auto("old1", 100 * DAY),
      auto("old2", 100 * DAY + HOUR),
    ];
    expect(Math.floor(items[2]!.createdAt / (7 * DAY))).toBe(Math.floor(items[3]!.createdAt / (7 * DAY)));
    const dropped = versionsToThin(items, NOW);
    expect(dropped).toEqual(["old2"]);
  });

  it("caps the number of automatic versions, dropping the oldest", () => {
    const items = Array.from({ length: 30 }, (_, i) => auto(`v${i}`, i * MIN));
    const dropped = versionsToThin(items, NOW, 10);
    expect(dropped).toEqual(Array.from({ length: 20 }, (_, i) => `v${i + 10}`));
  });
});
