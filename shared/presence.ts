/**
 * What a person's presence (y-protocols awareness state) may hold. Every field the
 * client sets is here; the server keeps only these, checked, so nobody can relay junk
 * (a string, a number, megabytes of JSON) to every peer through presence.
 */
import { z } from "zod";
import { relativePositionSchema } from "./ai";
import { MAX_NAME_CHARS } from "./limits";

const yId = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() }).strip();
/** A caret end as y-prosemirror publishes it: a Y.RelativePosition serialized as it is
 * (absent parts are null, not left out). */
const caretEnd = z
  .object({
    type: yId.nullable().optional(),
    tname: z.string().max(100).nullable().optional(),
    item: yId.nullable().optional(),
    assoc: z.number().int().min(-1).max(1).nullable().optional(),
  })
  .strip();

const range = z.object({ from: relativePositionSchema, to: relativePositionSchema }).strict();

export const presenceStateSchema = z
  .object({
    user: z
      .object({
        name: z.string().max(MAX_NAME_CHARS * 2),
        color: z.string().regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/),
      })
      .strip()
      .optional(),
    /** The editor's caret and selection (y-prosemirror's cursor plugin). */
    cursor: z.object({ anchor: caretEnd, head: caretEnd }).strip().nullable().optional(),
    /** Set for view-only links: shown without a caret. */
    viewer: z.boolean().optional(),
    /** The range someone is asking AI about (client/src/ai/ai-badges.ts). */
    ai: range.nullable().optional(),
    /** typing / active / idle (client/src/presence/activity.ts). */
    activity: z.enum(["typing", "active", "idle"]).optional(),
  })
  .strip();
export type PresenceState = z.infer<typeof presenceStateSchema>;

/** The state to relay (unknown fields dropped), or null if it is not a presence state. */
export function parsePresenceState(value: unknown): PresenceState | null {
  const r = presenceStateSchema.safeParse(value);
  return r.success ? r.data : null;
}
