/**
 * What a person's presence (y-protocols awareness state) may hold. Every field the
 * client sets is here; the server keeps only these, checked, so nobody can relay junk
 * (a string, a number, megabytes of JSON) to every peer through presence.
 */
import * as z from "zod/mini";
import { relativePositionSchema } from "./ai";
import { MAX_NAME_CHARS } from "./limits";

const yId = z.object({ client: z.int().check(z.nonnegative()), clock: z.int().check(z.nonnegative()) });
/** A caret end as y-prosemirror publishes it: a Y.RelativePosition serialized as it is
 * (absent parts are null, not left out). */
const caretEnd = z.object({
  type: z.optional(z.nullable(yId)),
  tname: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  item: z.optional(z.nullable(yId)),
  assoc: z.optional(z.nullable(z.int().check(z.minimum(-1), z.maximum(1)))),
});

const range = z.strictObject({ from: relativePositionSchema, to: relativePositionSchema });

// z.object drops unknown keys (what `.strip()` said in zod classic).
export const presenceStateSchema = z.object({
  user: z.optional(
    z.object({
      name: z.string().check(z.maxLength(MAX_NAME_CHARS * 2)),
      color: z.string().check(z.regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/)),
    }),
  ),
  /** The editor's caret and selection (y-prosemirror's cursor plugin). */
  cursor: z.optional(z.nullable(z.object({ anchor: caretEnd, head: caretEnd }))),
  /** Set for view-only links: shown without a caret. */
  viewer: z.optional(z.boolean()),
  /** The range someone is asking AI about (client/src/ai/ai-badges.ts). */
  ai: z.optional(z.nullable(range)),
  /** typing / active / idle (client/src/presence/activity.ts). */
  activity: z.optional(z.enum(["typing", "active", "idle"])),
});
export type PresenceState = z.infer<typeof presenceStateSchema>;

/** The state to relay (unknown fields dropped), or null if it is not a presence state. */
export function parsePresenceState(value: unknown): PresenceState | null {
  const r = presenceStateSchema.safeParse(value);
  return r.success ? r.data : null;
}
