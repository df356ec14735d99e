/**
 * Which client ids hold AI-written text, in the document's SQLite:
 *
 *   ai_clients(client, call, model, command, requested_by, accepted_by, landing, at, conn)
 *
 * A row is written only when the server grants it: the client that accepts an answer
 * writes it under a fresh client id and then claims that id for the answer; the claim
 * holds only if every character that client id wrote is in the text the server
 * generated for that request (room/ai-claims.ts). A granted id is sealed: later
 * updates that write with it are refused, so nothing else can pass as the AI's.
 */
import type { AiLanding } from "../../shared/authorship";

type Sql = SqlStorage;

export interface AiAttributionRecord {
  client: number;
  /** The connection that accepted it (its client ids budget leaves these out). */
  conn: string;
  call: string;
  model: string;
  command: string;
  requestedBy: string;
  acceptedBy: string;
  landing: AiLanding;
  at: number;
}

export class AiAttribution {
  private migrated = false;
  /** Sealed client ids (read-through: the check stage asks per update). */
  private sealed: Set<number> | null = null;

  constructor(private readonly sql: Sql) {}

  ready(): Sql {
    if (!this.migrated) {
      this.sql.exec(`
        CREATE TABLE IF NOT EXISTS ai_clients (
          client INTEGER PRIMARY KEY, call TEXT NOT NULL, model TEXT NOT NULL, command TEXT NOT NULL,
          requested_by TEXT NOT NULL, accepted_by TEXT NOT NULL, landing TEXT NOT NULL, at INTEGER NOT NULL,
          conn TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX IF NOT EXISTS ai_clients_by_conn ON ai_clients (conn);
      `);
      this.migrated = true;
    }
    return this.sql;
  }

  /** Forget that the table exists (after storage was wiped). */
  invalidate(): void {
    this.migrated = false;
    this.sealed = null;
  }

  isSealed(client: number): boolean {
    if (!this.sealed) {
      this.sealed = new Set(
        this.ready()
          .exec<{ client: number }>("SELECT client FROM ai_clients")
          .toArray()
          .map((r) => r.client),
      );
    }
    return this.sealed.has(client);
  }

  record(r: AiAttributionRecord): void {
    this.ready().exec(
      "INSERT OR IGNORE INTO ai_clients (client, call, model, command, requested_by, accepted_by, landing, at, conn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      r.client,
      r.call,
      r.model,
      r.command,
      r.requestedBy,
      r.acceptedBy,
      r.landing,
      r.at,
      r.conn,
    );
    this.sealed?.add(r.client);
  }

  /** Client ids granted to answers `conn` accepted. */
  grantedTo(conn: string): number {
    return this.ready().exec<{ n: number }>("SELECT count(*) AS n FROM ai_clients WHERE conn = ?", conn).one().n;
  }

  /** Whether the call already has text attributed to it (one client id per answer). */
  hasCall(call: string): boolean {
    return this.ready().exec("SELECT 1 FROM ai_clients WHERE call = ? LIMIT 1", call).toArray().length > 0;
  }
}
