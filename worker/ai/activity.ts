/**
 * The owner's record of every AI call of a document (GET /api/docs/<id>/ai/activity),
 * in the document's SQLite:
 *
 *   ai_calls(n, id, at, via, command, model, endpoint, requested_by, conn, request,
 *            chars_sent, chars_received, outcome, decided_by, answer)
 *
 * A call is written when it starts (outcome "pending"), updated when its answer is
 * complete (an assist answer then waits for its requester's decision: accepted,
 * suggested, discarded) or fails; an @AI reply in a thread ends "answered". Only the
 * requester's own connection decides, once. The newest AI_ACTIVITY_MAX_CALLS calls are
 * kept, and the answer text of the newest AI_ACTIVITY_MAX_ANSWERS (what attributing
 * accepted text to the AI reads, through `answerOf`).
 */
import type { AiDecision } from "../../shared/ai";
import type { AiCall, AiCallOutcome, AiVia } from "../../shared/ai-activity";
import { randomId } from "../../shared/ids";
import { AI_ACTIVITY_ANSWER_MAX_CHARS, AI_ACTIVITY_MAX_ANSWERS, AI_ACTIVITY_MAX_CALLS } from "../../shared/limits";

export interface CallStart {
  via: AiVia;
  command: string;
  model: string;
  endpoint: string;
  requestedBy: string;
  charsSent: number;
  /** An assist call: the requester's connection and its request id (who may decide). */
  conn?: string;
  request?: string;
}

/** An answer as generated, for the attribution check. */
export interface AnswerRecord {
  text: string;
  model: string;
  command: string;
  requestedBy: string;
}

/** A decision that was recorded. */
export interface Decided extends AnswerRecord {
  callId: string;
}

type Row = {
  id: string;
  at: number;
  via: AiVia;
  command: string;
  model: string;
  endpoint: string;
  requested_by: string;
  chars_sent: number;
  chars_received: number;
  outcome: AiCallOutcome;
  decided_by: string | null;
};

export class AiActivity {
  private migrated = false;

  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number = Date.now,
  ) {}

  private ready(): SqlStorage {
    if (!this.migrated) {
      this.sql.exec(`
        CREATE TABLE IF NOT EXISTS ai_calls (
          n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL, via TEXT NOT NULL,
          command TEXT NOT NULL, model TEXT NOT NULL, endpoint TEXT NOT NULL, requested_by TEXT NOT NULL,
          conn TEXT, request TEXT, chars_sent INTEGER NOT NULL, chars_received INTEGER NOT NULL DEFAULT 0,
          outcome TEXT NOT NULL, decided_by TEXT, answer TEXT
        );
        CREATE INDEX IF NOT EXISTS ai_calls_by_request ON ai_calls (conn, request);
      `);
      this.migrated = true;
    }
    return this.sql;
  }

  /** Forget that the table exists (after storage was wiped). */
  invalidate(): void {
    this.migrated = false;
  }

  /** Records a call as it starts; returns its id. Drops the oldest past the bound. */
  start(c: CallStart): string {
    const sql = this.ready();
    const id = randomId(12);
    sql.exec(
      `INSERT INTO ai_calls (id, at, via, command, model, endpoint, requested_by, conn, request, chars_sent, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
      id,
      this.now(),
      c.via,
      c.command,
      c.model,
      c.endpoint,
      c.requestedBy,
      c.conn ?? null,
      c.request ?? null,
      c.charsSent,
    );
    const newest = Number(sql.exec<{ n: number }>("SELECT MAX(n) AS n FROM ai_calls").one().n);
    sql.exec("DELETE FROM ai_calls WHERE n <= ?", newest - AI_ACTIVITY_MAX_CALLS);
    sql.exec("UPDATE ai_calls SET answer = NULL WHERE n <= ? AND answer IS NOT NULL", newest - AI_ACTIVITY_MAX_ANSWERS);
    return id;
  }

  /** An assist answer is complete: it is kept, and waits for its requester's decision. */
  finished(id: string, answer: string): void {
    this.ready().exec(
      "UPDATE ai_calls SET chars_received = ?, answer = ? WHERE id = ?",
      answer.length,
      answer.slice(0, AI_ACTIVITY_ANSWER_MAX_CHARS),
      id,
    );
  }

  /** The call ended without an answer to use (an error, a timeout). */
  failed(id: string, charsReceived: number): void {
    this.ready().exec("UPDATE ai_calls SET chars_received = ?, outcome = 'failed' WHERE id = ? AND outcome = 'pending'", charsReceived, id);
  }

  /** An @AI reply was posted in its thread. */
  answered(id: string, charsReceived: number): void {
    this.ready().exec("UPDATE ai_calls SET chars_received = ?, outcome = 'answered' WHERE id = ?", charsReceived, id);
  }

  /**
   * The requester's decision on its answer: only from the connection that asked, once,
   * and accepting needs a complete answer. Returns what was decided, or null.
   */
  decide(conn: string, request: string, outcome: AiDecision, decidedBy: string): Decided | null {
    const sql = this.ready();
    const row = sql
      .exec<{ id: string; answer: string | null; model: string; command: string; requested_by: string }>(
        "SELECT id, answer, model, command, requested_by FROM ai_calls WHERE conn = ? AND request = ? AND outcome = 'pending' ORDER BY n DESC LIMIT 1",
        conn,
        request,
      )
      .toArray()[0];
    if (!row || (outcome !== "discarded" && row.answer === null)) return null;
    sql.exec("UPDATE ai_calls SET outcome = ?, decided_by = ? WHERE id = ?", outcome, decidedBy, row.id);
    return { callId: row.id, text: row.answer ?? "", model: row.model, command: row.command, requestedBy: row.requested_by };
  }

  /** The answer generated for a call, as kept (null once older than the newest
   * AI_ACTIVITY_MAX_ANSWERS calls, or for a call that is unknown or has none). */
  answerOf(callId: string): AnswerRecord | null {
    const row = this.ready()
      .exec<{ answer: string | null; model: string; command: string; requested_by: string }>(
        "SELECT answer, model, command, requested_by FROM ai_calls WHERE id = ?",
        callId,
      )
      .toArray()[0];
    if (!row || row.answer === null) return null;
    return { text: row.answer, model: row.model, command: row.command, requestedBy: row.requested_by };
  }

  /** Every call kept, newest first. */
  list(): AiCall[] {
    return this.ready()
      .exec<Row>(
        `SELECT id, at, via, command, model, endpoint, requested_by, chars_sent, chars_received, outcome, decided_by
         FROM ai_calls ORDER BY n DESC`,
      )
      .toArray()
      .map((r) => ({
        id: r.id,
        at: r.at,
        requestedBy: r.requested_by,
        via: r.via,
        command: r.command,
        model: r.model,
        endpoint: r.endpoint,
        charsSent: r.chars_sent,
        charsReceived: r.chars_received,
        outcome: r.outcome,
        ...(r.decided_by !== null ? { decidedBy: r.decided_by } : {}),
      }));
  }
}
