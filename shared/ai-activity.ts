/**
 * The owner's record of a document's AI calls: `GET /api/docs/<id>/ai/activity`
 * (worker/ai/activity.ts keeps it in the document's SQLite, newest
 * AI_ACTIVITY_MAX_CALLS calls). Names are display names, as the requester gave them.
 */
import * as z from "zod/mini";

export const AI_VIAS = ["assist", "thread"] as const;
export type AiVia = (typeof AI_VIAS)[number];

/** `pending`: the answer is being written, or waits for its requester's decision. */
export const AI_CALL_OUTCOMES = ["pending", "accepted", "suggested", "discarded", "failed", "answered"] as const;
export type AiCallOutcome = (typeof AI_CALL_OUTCOMES)[number];

export const aiCallSchema = z.object({
  id: z.string(),
  /** When the call started, ms since the epoch. */
  at: z.number(),
  requestedBy: z.string(),
  via: z.enum(AI_VIAS),
  /** The assist command (rewrite, summarize…), or "ask" for @AI in a thread. */
  command: z.string(),
  model: z.string(),
  /** Where the text went: the provider's host only (no path, no credentials). */
  endpoint: z.string(),
  /** Characters of prompt sent upstream (instructions and document text). */
  charsSent: z.number(),
  /** Characters of answer received. */
  charsReceived: z.number(),
  outcome: z.enum(AI_CALL_OUTCOMES),
  decidedBy: z.optional(z.string()),
});
export type AiCall = z.infer<typeof aiCallSchema>;

export const aiActivitySchema = z.object({ calls: z.array(aiCallSchema) });
export type AiActivityAnswer = z.infer<typeof aiActivitySchema>;
