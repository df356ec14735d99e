/**
 * AI assist on the document WebSocket: the commands a person can run, and the
 * messages that carry a request, its streamed answer and its errors. The client
 * sends only a command, its options and where the selection is (Yjs relative
 * positions); the server reads the text from its own Y.Doc and owns the prompts.
 */
import * as z from "zod/mini";
import { AI_LANDINGS } from "./authorship";
import { AI_MAX_INSTRUCTION_CHARS, AI_REQUEST_ID_MAX_CHARS } from "./limits";

export const AI_COMMANDS = ["rewrite", "summarize", "fix", "shorter", "longer", "tone", "translate", "continue", "ask"] as const;
export type AiCommand = (typeof AI_COMMANDS)[number];

export const AI_TONES = ["professional", "friendly", "confident", "casual"] as const;
export type AiTone = (typeof AI_TONES)[number];

/** Languages offered by Translate. English names: they go into the prompt as is. */
export const AI_LANGUAGES = [
  "English",
  "Spanish",
  "French",
  "German",
  "Italian",
  "Portuguese",
  "Dutch",
  "Polish",
  "Ukrainian",
  "Russian",
  "Turkish",
  "Arabic",
  "Hindi",
  "Japanese",
  "Korean",
  "Chinese (Simplified)",
] as const;
export type AiLanguage = (typeof AI_LANGUAGES)[number];

/** Continue writing works at the caret; every other command needs a selection. */
export const needsSelection = (command: AiCommand): boolean => command !== "continue";

/** The owner's choice for a document (PATCH /api/docs/<id> `{ai}`): AI answers land as
 * the requester picks, only as suggestions, or AI is refused on every path. */
export const AI_POLICIES = ["on", "suggest", "off"] as const;
export type AiPolicy = (typeof AI_POLICIES)[number];
export const DEFAULT_AI_POLICY: AiPolicy = "on";
export const isAiPolicy = (v: unknown): v is AiPolicy => typeof v === "string" && (AI_POLICIES as readonly string[]).includes(v);

export const AiClientMessageType = {
  /** Run a command on a range; the answer streams back to this connection only. */
  Request: "ai-request",
  /** Stop a running request and its upstream model call. */
  Stop: "ai-stop",
  /** What the requester did with a finished answer (the owner's AI activity). */
  Outcome: "ai-outcome",
} as const;

export const AiServerMessageType = {
  /** The next piece of the answer (batched, in order). */
  Delta: "ai-delta",
  /** The answer is complete (or was stopped). */
  Done: "ai-done",
  /** The request failed or was refused; nothing more will arrive for it. */
  Error: "ai-error",
} as const;

export const AiErrorCode = {
  /** No model configured, or the provider refused the key: `setting` names what to set. */
  NotConfigured: "not-configured",
  /** Quire's own limits or the provider's 429; `retryAfterMs` says when to try again. */
  RateLimited: "rate-limited",
  /** The provider or model failed (5xx, unknown model, broken stream, unreachable). */
  Provider: "provider-error",
  /** View-only links cannot use AI. */
  Forbidden: "forbidden",
  /** The owner turned AI off for this document. */
  Off: "ai-off",
  /** The selection could not be found, is empty, or is too long. */
  BadSelection: "bad-selection",
  /** Unexpected failure inside Quire. */
  Internal: "internal",
} as const;
export type AiErrorCode = (typeof AiErrorCode)[keyof typeof AiErrorCode];

export const AI_FINISH_REASONS = ["stop", "length", "stopped"] as const;
export type AiFinishReason = (typeof AI_FINISH_REASONS)[number];

const yId = z.object({ client: z.int().check(z.nonnegative()), clock: z.int().check(z.nonnegative()) });
/** `Y.relativePositionToJSON` output. */
export const relativePositionSchema = z.strictObject({
  type: z.optional(yId),
  tname: z.optional(z.string().check(z.maxLength(100))),
  item: z.optional(yId),
  assoc: z.optional(z.int().check(z.minimum(-1), z.maximum(1))),
});
export type RelativePositionJSON = z.infer<typeof relativePositionSchema>;

const requestId = z.string().check(z.minLength(1), z.maxLength(AI_REQUEST_ID_MAX_CHARS), z.regex(/^[A-Za-z0-9_-]+$/));

export const aiOptionsSchema = z.strictObject({
  tone: z.optional(z.enum(AI_TONES)),
  language: z.optional(z.enum(AI_LANGUAGES)),
  instruction: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(AI_MAX_INSTRUCTION_CHARS))),
});
export type AiOptions = z.infer<typeof aiOptionsSchema>;

export const aiRequestSchema = z
  .strictObject({
    type: z.literal(AiClientMessageType.Request),
    requestId,
    command: z.enum(AI_COMMANDS),
    options: z._default(aiOptionsSchema, {}),
    /** For Continue writing `from` and `to` are both the caret. */
    range: z.strictObject({ from: relativePositionSchema, to: relativePositionSchema }),
  })
  .check(
    z.superRefine((msg, ctx) => {
      const missing =
        (msg.command === "tone" && !msg.options.tone && "tone") ||
        (msg.command === "translate" && !msg.options.language && "language") ||
        (msg.command === "ask" && !msg.options.instruction && "instruction");
      if (missing) ctx.addIssue({ code: "custom", message: `${msg.command} needs options.${missing}` });
    }),
  );
export type AiRequest = z.infer<typeof aiRequestSchema>;

export const aiStopSchema = z.strictObject({ type: z.literal(AiClientMessageType.Stop), requestId });

/** What the requester's own client did with an answer: accepted it into the text,
 * accepted it as a suggestion, or discarded it. `clientId`: the Yjs client id the
 * answer was written with, for the server to attribute that text to the AI. */
export const AI_DECISIONS = ["accepted", "suggested", "discarded"] as const;
export type AiDecision = (typeof AI_DECISIONS)[number];
export const aiOutcomeSchema = z.strictObject({
  type: z.literal(AiClientMessageType.Outcome),
  requestId,
  outcome: z.enum(AI_DECISIONS),
  landing: z.optional(z.enum(AI_LANDINGS)),
  clientId: z.optional(z.int().check(z.nonnegative(), z.maximum(0xffffffff))),
});
export type AiOutcomeMessage = z.infer<typeof aiOutcomeSchema>;

export const aiDeltaSchema = z.object({
  type: z.literal(AiServerMessageType.Delta),
  requestId,
  text: z.string(),
});
export const aiDoneSchema = z.object({
  type: z.literal(AiServerMessageType.Done),
  requestId,
  reason: z.enum(AI_FINISH_REASONS),
  /** The model that answered (recorded on an AI suggestion). */
  model: z.optional(z.string().check(z.maxLength(80))),
});
export const aiErrorSchema = z.object({
  type: z.literal(AiServerMessageType.Error),
  requestId,
  code: z.enum(Object.values(AiErrorCode) as [AiErrorCode, ...AiErrorCode[]]),
  message: z.string(),
  retryAfterMs: z.optional(z.int().check(z.nonnegative())),
  /** The configuration setting to add or fix (e.g. OPENAI_API_KEY). */
  setting: z.optional(z.string()),
});
export type AiServerMessage = z.infer<typeof aiDeltaSchema> | z.infer<typeof aiDoneSchema> | z.infer<typeof aiErrorSchema>;
