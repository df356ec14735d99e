/**
 * What became of an assist answer: the requester's `ai-outcome`, recorded once in the
 * owner's AI activity (activity.ts), only from the connection that asked. While the
 * owner lets answers land only as suggestions, an "accepted" is not recorded. A
 * decision naming the client id the answer was written with goes on to the room's
 * attribution (`attribute`), which grants AI authorship only to text the server generated.
 */
import type { Connection } from "partyserver";
import type { AiOutcomeMessage } from "../../shared/ai";
import type { AiLanding } from "../../shared/authorship";
import { errorMessage, log } from "../lib/log";
import type { AiActivity } from "./activity";
import type { AiGate } from "./gate";
import { nameOf } from "./requester";

/** An accepted answer and the client id it was written with (see AiHost.attribute). */
export interface AiAttributionClaim {
  /** The call's id in the AI activity (activity.ts `answerOf`). */
  callId: string;
  clientId: number;
  landing: AiLanding;
  /** The answer as generated (cut at AI_ACTIVITY_ANSWER_MAX_CHARS). */
  answer: string;
  model: string;
  command: string;
  requestedBy: string;
}

/** The part of the AI host (assist.ts) a decision uses. */
export interface OutcomeHost {
  docId(): string;
  aiGate: AiGate;
  aiActivity: AiActivity;
  attribute?(conn: Connection, claim: AiAttributionClaim): void;
}

/** Never throws: a decision that does not hold is logged and dropped. */
export function decideOutcome(host: OutcomeHost, conn: Connection, msg: AiOutcomeMessage): void {
  try {
    if (msg.outcome === "accepted" && host.aiGate.suggestOnly()) {
      log("warn", "ai-outcome-refused", { doc: host.docId(), conn: conn.id, request: msg.requestId, reason: "suggest-only" });
      return;
    }
    const decided = host.aiActivity.decide(conn.id, msg.requestId, msg.outcome, nameOf(conn));
    if (!decided) {
      log("warn", "ai-outcome-ignored", { doc: host.docId(), conn: conn.id, request: msg.requestId });
      return;
    }
    log("info", "ai-outcome", { doc: host.docId(), conn: conn.id, request: msg.requestId, outcome: msg.outcome });
    if (msg.clientId === undefined || msg.outcome === "discarded" || !host.attribute) return;
    host.attribute(conn, {
      callId: decided.callId,
      clientId: msg.clientId,
      landing: msg.landing ?? (msg.outcome === "suggested" ? "suggestion" : "replace"),
      answer: decided.text,
      model: decided.model,
      command: decided.command,
      requestedBy: decided.requestedBy,
    });
  } catch (err) {
    log("error", "ai-outcome-failed", { doc: host.docId(), conn: conn.id, error: errorMessage(err) });
  }
}
