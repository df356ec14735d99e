/**
 * A document's health, for its owner (GET /api/docs/<id>/health): how close it is to
 * each bound that keeps it fast and loadable (shared/limits.ts), and what to do about
 * it. Each measure is `{ value, limit }`; the level is the worst of them.
 */
import * as z from "zod/mini";

/** A measure at this share of its limit turns the level to "warn". */
export const HEALTH_WARN_SHARE = 0.75;

const measure = z.object({ value: z.number(), limit: z.number() });

export const HEALTH_LEVELS = ["ok", "warn", "full"] as const;
export type HealthLevel = (typeof HEALTH_LEVELS)[number];

export const docHealthSchema = z.object({
  /** The encoded state as stored (snapshot + log since), against MAX_DOCUMENT_BYTES. */
  stateBytes: measure,
  /** Yjs structs (items and tombstones), against MAX_DOCUMENT_ITEMS. */
  items: measure,
  /** Of the items, those deleted (tombstones: text that is gone but still costs). */
  deletedItems: z.number(),
  /** Yjs client ids (roughly: editing sessions that ever wrote), against MAX_CLIENT_IDS_PER_DOCUMENT. */
  clientIds: measure,
  /** New client ids from edit links in the last hour, against NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT. */
  newClientIdsLastHour: measure,
  level: z.enum(HEALTH_LEVELS),
  /** One sentence for the owner: what is close to its limit and what helps. */
  hint: z.string(),
});
export type DocHealth = z.infer<typeof docHealthSchema>;

type Measures = Pick<DocHealth, "stateBytes" | "items" | "clientIds" | "newClientIdsLastHour">;

/** The level and hint for a set of measures (the server's answer; the UI shows it). */
export function assess(m: Measures, deletedItems: number): Pick<DocHealth, "level" | "hint"> {
  const share = (x: { value: number; limit: number }) => (x.limit > 0 ? x.value / x.limit : 0);
  const worst = Math.max(share(m.stateBytes), share(m.items), share(m.clientIds), share(m.newClientIdsLastHour));
  const level: HealthLevel = worst >= 1 ? "full" : worst >= HEALTH_WARN_SHARE ? "warn" : "ok";
  if (level === "ok") return { level, hint: "The document is well within its limits." };
  if (share(m.newClientIdsLastHour) >= HEALTH_WARN_SHARE && share(m.clientIds) < HEALTH_WARN_SHARE) {
    return {
      level,
      hint: "Unusually many new editing sessions in the last hour. If you did not expect that, reset the edit link; new sessions are accepted again within the hour.",
    };
  }
  if (share(m.clientIds) >= HEALTH_WARN_SHARE || (share(m.items) >= HEALTH_WARN_SHARE && deletedItems > m.items.value / 2)) {
    return {
      level,
      hint: "Every edit gets slower with the history this document carries. Rebuild it from a version in History: the text stays, the weight goes.",
    };
  }
  return {
    level,
    hint: "The document is close to its size limit. Remove content, or rebuild it from a version in History to drop what deleted text still costs.",
  };
}
