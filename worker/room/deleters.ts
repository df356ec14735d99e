/**
 * Who deleted what. Yjs records who inserted an item (its client id), not who deleted
 * it, so the room records it as updates are accepted, in its SQLite:
 *
 *   deletions(client, clock, len, by)
 *
 * one row per range of items (client, clock … clock+len) deleted by a connection, `by`
 * being a Yjs client id its author introduced (the same browser's author key, or the
 * connection itself without one: client-ids.ts), so the compare answer names the
 * deleter through the same author records as the inserters.
 * Only what an update newly deletes is recorded (update-check.ts `deletes`): a client's
 * resync repeats everyone's older deletions, which are not its own. A connection whose
 * author introduced no client id yet (a first visit that only deletes) is not recorded:
 * compare leaves such a deletion's author out rather than guess.
 *
 * Bounded: a range that continues the previous one of the same deleter (backspacing,
 * forward-deleting) extends that row; past MAX_DELETION_RECORDS the oldest rows go,
 * and their deletions show without an author.
 */
import { MAX_DELETION_RECORDS } from "../../shared/limits";
import { errorMessage, log } from "../lib/log";
import type { DeletedRange } from "./update-check";

type Sql = SqlStorage;

type Row = { client: number; clock: number; len: number; by: number };

/** Who deleted an item, found per request from one read of the records. */
export type DeleterLookup = (client: number, clock: number) => number | undefined;

export class DeletionRecords {
  private migrated = false;
  private rows: number | null = null;
  /** Per connection, the client id its deletions are credited to (deleterOf). */
  private readonly byConn = new Map<string, number>();

  constructor(
    private readonly sql: Sql,
    /** Makes sure client-ids.ts's table exists. */
    private readonly clientIdsReady: () => void,
    private readonly docId: () => string,
  ) {}

  private ready(): Sql {
    if (!this.migrated) {
      this.sql.exec(`
        CREATE TABLE IF NOT EXISTS deletions (
          client INTEGER NOT NULL, clock INTEGER NOT NULL, len INTEGER NOT NULL, by INTEGER NOT NULL,
          PRIMARY KEY (client, clock)
        );
      `);
      this.migrated = true;
    }
    return this.sql;
  }

  /** Forget that the table exists (after storage was wiped). */
  invalidate(): void {
    this.migrated = false;
    this.rows = null;
    this.byConn.clear();
  }

  /** `conn`'s accepted update deleted `ranges`. Never throws: recording who deleted
   * must not stop an update from being applied. */
  record(conn: string, key: string | undefined, ranges: readonly DeletedRange[]): void {
    if (ranges.length === 0) return;
    try {
      this.recordNow(conn, key, ranges);
    } catch (err) {
      log("warn", "deletions-not-recorded", { doc: this.docId(), conn, error: errorMessage(err) });
    }
  }

  /** The client id a connection's deletions are credited to: the earliest its author
   * (its author key; without one, the connection itself) introduced. The earliest, so
   * that an accepted AI answer's id, introduced later and granted to the AI, never is. */
  private deleterOf(conn: string, key: string | undefined): number | null {
    const cached = this.byConn.get(conn);
    if (cached !== undefined) return cached;
    const sql = this.ready();
    const row = (
      key
        ? sql.exec<{ client: number }>(
            "SELECT client FROM client_ids WHERE author_key_hash = ? AND link != '' ORDER BY at, client LIMIT 1",
            key,
          )
        : sql.exec<{ client: number }>("SELECT client FROM client_ids WHERE conn = ? ORDER BY at, client LIMIT 1", conn)
    ).toArray()[0];
    if (!row) return null;
    this.byConn.set(conn, row.client);
    return row.client;
  }

  private recordNow(conn: string, key: string | undefined, ranges: readonly DeletedRange[]): void {
    this.clientIdsReady();
    const sql = this.ready();
    const by = this.deleterOf(conn, key);
    if (by === null) return;
    this.rows ??= sql.exec<{ n: number }>("SELECT count(*) AS n FROM deletions").one().n;
    for (const r of ranges) {
      // Backspacing deletes the range just before the last one; deleting forward, the
      // one just after: either extends that row.
      const after = sql
        .exec<Row>("SELECT * FROM deletions WHERE client = ? AND clock = ? AND by = ?", r.client, r.clock + r.len, by)
        .toArray()[0];
      const before = sql
        .exec<Row>("SELECT * FROM deletions WHERE client = ? AND clock < ? ORDER BY clock DESC LIMIT 1", r.client, r.clock)
        .toArray()[0];
      let len = r.len;
      if (after) {
        sql.exec("DELETE FROM deletions WHERE client = ? AND clock = ?", after.client, after.clock);
        len += after.len;
        this.rows -= 1;
      }
      if (before && before.by === by && before.clock + before.len === r.clock) {
        sql.exec("UPDATE deletions SET len = ? WHERE client = ? AND clock = ?", before.len + len, before.client, before.clock);
        continue;
      }
      sql.exec("INSERT OR REPLACE INTO deletions (client, clock, len, by) VALUES (?, ?, ?, ?)", r.client, r.clock, len, by);
      this.rows += 1;
    }
    if (this.rows > MAX_DELETION_RECORDS) {
      const drop = this.rows - MAX_DELETION_RECORDS;
      sql.exec("DELETE FROM deletions WHERE rowid IN (SELECT rowid FROM deletions ORDER BY rowid LIMIT ?)", drop);
      this.rows = MAX_DELETION_RECORDS;
    }
  }

  /** One read of every record: who deleted the item at (client, clock). */
  lookup(): DeleterLookup {
    const byClient = new Map<number, Row[]>();
    for (const r of this.ready().exec<Row>("SELECT client, clock, len, by FROM deletions ORDER BY client, clock")) {
      const list = byClient.get(r.client);
      if (list) list.push(r);
      else byClient.set(r.client, [r]);
    }
    return (client, clock) => {
      const list = byClient.get(client);
      if (!list) return undefined;
      let lo = 0;
      let hi = list.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = list[mid]!;
        if (clock < r.clock) hi = mid - 1;
        else if (clock >= r.clock + r.len) lo = mid + 1;
        else return r.by;
      }
      return undefined;
    };
  }
}
