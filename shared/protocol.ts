/**
 * Quire's messages on the document WebSocket, beyond the standard y-websocket
 * binary protocol (sync = 0, awareness = 1). They travel as y-partyserver custom
 * messages: text frames `__YPS:<json>`. One discriminated union per direction;
 * parsers return a typed message or null, never a cast.
 */
import * as z from "zod/mini";
import { AI_POLICIES, aiDeltaSchema, aiDoneSchema, aiErrorSchema, aiOutcomeSchema, aiRequestSchema, aiStopSchema } from "./ai";
import { THREAD_CHANGES, threadIdSchema } from "./comments";
import { MAX_CUSTOM_MESSAGE_BYTES } from "./limits";

export const ROLES = ["owner", "editor", "commenter", "viewer"] as const;
export type Role = (typeof ROLES)[number];
/** May change the document (Yjs writes, uploads, restores, renames). */
export const canWrite = (role: Role): boolean => role === "owner" || role === "editor";
/** May write comments (threads live in the Durable Object, not in the Y.Doc). */
export const canComment = (role: Role): boolean => role !== "viewer";

/** Why a whole document may be read-only: over its size limit, or damaged storage. */
export const READ_ONLY_REASONS = ["too-large", "damaged"] as const;
export type ReadOnlyReason = (typeof READ_ONLY_REASONS)[number];

export const ClientMessageType = {
  /** "Tell me when everything I sent before this is durable." */
  SyncCheck: "sync-check",
  /** Echo of a server read-check: "I have read everything you sent before it". */
  ReadAck: "read-ack",
} as const;

export const ServerMessageType = {
  /** Sent once after connect: who the server thinks you are. */
  Welcome: "welcome",
  /** Every update the client sent before its sync-check `seq` is durable. */
  Saved: "saved",
  /** "Echo this id once you have read this far" (flow control; see MAX_UNREAD_BYTES). */
  ReadCheck: "read-check",
  /** Something the client sent was refused; only this client receives it. */
  Error: "error",
  /** A comment thread was created or changed (sent to everyone). Only the id and what
   * happened travel: a whole thread can pass the custom-message cap, so clients read
   * it with GET …/threads. */
  ThreadChanged: "thread-changed",
  /** The owner changed the document's AI policy (sent to everyone). */
  AiPolicy: "ai-policy",
} as const;

export const ErrorCode = {
  BadFrame: "bad-frame",
  BadMessage: "bad-message",
  ReadOnly: "read-only",
  TooSlow: "too-slow",
  TooLarge: "too-large",
  RateLimited: "rate-limited",
  DocumentTooLarge: "document-too-large",
  /** An update the server will not apply: it would break the document, or the editor
   * could not show it. The message says why; the connection is closed (4422). */
  InvalidUpdate: "invalid-update",
  /** Updates that waited for changes the room does not have were dropped; resync. */
  MissingDependencies: "missing-dependencies",
  /** The document can be read but not changed (damaged or over its size limit). */
  DocumentReadOnly: "document-read-only",
  /** The update brought more new Yjs client ids than allowed; closed with 4507. */
  TooManyClientIds: "too-many-client-ids",
  /** The update wrote with another author's client id; closed with 4423. */
  ForeignClientId: "foreign-client-id",
  Internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const seq = z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));
export const epochSchema = z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));
/** The query parameter a client names its copy's epoch with (absent: 0, the epoch of
 * every copy made before rebuilding existed). */
export const EPOCH_PARAM = "epoch";
/** Random, so that only a client that really read the check can echo it. */
const readCheckId = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,32}$/));

const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal(ClientMessageType.SyncCheck), seq }),
  z.object({ type: z.literal(ClientMessageType.ReadAck), id: readCheckId }),
  aiRequestSchema,
  aiStopSchema,
  aiOutcomeSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

const serverMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal(ServerMessageType.Welcome),
    role: z.enum(ROLES),
    connectionId: z.string(),
    /** Set when the document can be read but not changed, with what to tell people. */
    readOnly: z.optional(z.object({ reason: z.enum(READ_ONLY_REASONS), message: z.string() })),
    /** The document's epoch: it grows each time the owner rebuilds the document from a
     * version (a fresh CRDT). A client whose copy has another epoch must not sync it;
     * the server closes such a connection right after this welcome (4205). */
    epoch: z.optional(epochSchema),
    /** The document's AI policy (absent: "on"). */
    ai: z.optional(z.enum(AI_POLICIES)),
  }),
  z.object({ type: z.literal(ServerMessageType.Saved), seq }),
  z.object({ type: z.literal(ServerMessageType.ReadCheck), id: readCheckId }),
  z.object({
    type: z.literal(ServerMessageType.Error),
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    retryAfterMs: z.optional(z.int().check(z.nonnegative())),
  }),
  z.object({ type: z.literal(ServerMessageType.ThreadChanged), threadId: threadIdSchema, change: z.enum(THREAD_CHANGES) }),
  z.object({ type: z.literal(ServerMessageType.AiPolicy), ai: z.enum(AI_POLICIES) }),
  aiDeltaSchema,
  aiDoneSchema,
  aiErrorSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

function parseJson(text: string): unknown {
  if (text.length > MAX_CUSTOM_MESSAGE_BYTES) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses the JSON body of a custom message from a client (without `__YPS:`). */
export function parseClientMessage(text: string): ClientMessage | null {
  const result = clientMessageSchema.safeParse(parseJson(text));
  return result.success ? result.data : null;
}

/** Parses the JSON body of a custom message from the server (without `__YPS:`). */
export function parseServerMessage(text: string): ServerMessage | null {
  const result = serverMessageSchema.safeParse(parseJson(text));
  return result.success ? result.data : null;
}

/** The prefix y-partyserver puts on custom (text) messages. */
export const CUSTOM_MESSAGE_PREFIX = "__YPS:";
