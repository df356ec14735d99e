/**
 * Who introduced each Yjs client id of the document, in its SQLite:
 *
 *   client_ids(client, conn, link, at, name, author_key_hash, suggest_max, suggest_authors)
 *
 * A row is written when an update that brings a client id the document did not have is
 * accepted: the connection that sent it, its link kind and the time (with the
 * name and the author key's hash it gave: room/authors.ts reads who wrote what from
 * them, and foreignTo() keeps anyone else from writing with that id). Every later edit costs Yjs
 * work per client id of the document (its state vector is walked several times per
 * transaction), so new client ids are what growth.ts budgets, per connection and per
 * document, from these rows.
 *
 * The same rows remember the suggestion ids (`<client>-<counter>`, shared/schema-
 * suggestion.ts) each client id has made, as the highest counter and the authors named
 * with them: moving suggested text (cut and paste, undo, joining paragraphs) writes
 * those ids again from another client id, and identity-marks.ts accepts that only for
 * ids the document has had, with the same author.
 */
import { MAX_SUGGESTION_AUTHORS_PER_CLIENT_ID } from "../../shared/limits";

type Sql = SqlStorage;

export interface Introducer {
  conn: string;
  /** The link kind it connected with ("owner", "edit"). */
  link: string;
  /** Its author key's hash (access/author.ts), when its browser gave one. */
  key?: string | undefined;
  /** The name it gave when it connected. */
  name?: string | undefined;
}

/** Who a client id's later writes must come from. */
type Binding = { conn: string; key: string | null } | null;

export class ClientIdRegistry {
  private migrated = false;
  /** Per client id, who introduced it (read-through cache: the check stage asks per update). */
  private readonly bindings = new Map<number, Binding>();
  /** Per client id, what its suggestions were recorded as (read-through cache). */
  private readonly suggestions = new Map<number, { max: number; authors: string[] } | null>();

  constructor(private readonly sql: Sql) {}

  ready(): Sql {
    if (!this.migrated) {
      this.sql.exec(`
        CREATE TABLE IF NOT EXISTS client_ids (
          client INTEGER PRIMARY KEY, conn TEXT NOT NULL, link TEXT NOT NULL, at INTEGER NOT NULL,
          name TEXT, author_key_hash TEXT, suggest_max INTEGER NOT NULL DEFAULT 0, suggest_authors TEXT
        );
        CREATE INDEX IF NOT EXISTS client_ids_by_conn ON client_ids (conn);
        CREATE INDEX IF NOT EXISTS client_ids_by_at ON client_ids (at);
      `);
      this.migrated = true;
    }
    return this.sql;
  }

  /** Forget that the table exists (after storage was wiped). */
  invalidate(): void {
    this.migrated = false;
    this.suggestions.clear();
    this.bindings.clear();
  }

  /** Client ids this connection introduced. */
  introducedBy(conn: string): number {
    return this.ready().exec<{ n: number }>("SELECT count(*) AS n FROM client_ids WHERE conn = ?", conn).one().n;
  }

  /** Client ids introduced since `since` (ms) by connections of other links than the owner's. */
  introducedSince(since: number): number {
    return this.ready().exec<{ n: number }>("SELECT count(*) AS n FROM client_ids WHERE at >= ? AND link != 'owner'", since).one().n;
  }

  /** Records client ids the document did not have, as introduced by `by`. */
  introduce(clients: Iterable<number>, by: Introducer, at = Date.now()): void {
    const sql = this.ready();
    for (const client of clients) {
      // A row may exist already, written by noteSuggestion for an id seen only in marks.
      sql.exec(
        `INSERT INTO client_ids (client, conn, link, at, name, author_key_hash) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (client) DO UPDATE SET conn = excluded.conn, link = excluded.link, at = excluded.at,
           name = excluded.name, author_key_hash = excluded.author_key_hash WHERE client_ids.link = ''`,
        client,
        by.conn,
        by.link,
        at,
        by.name ?? null,
        by.key ?? null,
      );
      this.bindings.delete(client);
    }
  }

  /** Why `by` may not write with `client` (another author introduced it), or null. A
   * client id the server has no record of (written before records began) binds nobody. */
  foreignTo(client: number, by: Introducer): string | null {
    let b = this.bindings.get(client);
    if (b === undefined) {
      const row = this.ready()
        .exec<{ conn: string; key: string | null }>(
          "SELECT conn, author_key_hash AS key FROM client_ids WHERE client = ? AND link != ''",
          client,
        )
        .toArray()[0];
      b = row ? { conn: row.conn, key: row.key } : null;
      this.bindings.set(client, b);
    }
    if (b === null) return null;
    // The same browser (its author key) may write with its earlier sessions' ids: an
    // offline copy replays them. Without a key, only the connection that introduced it.
    const same = b.key !== null ? b.key === (by.key ?? null) : b.conn === by.conn;
    return same ? null : `client id ${client} belongs to another author`;
  }

  /** Who introduced `client`, if it is recorded. */
  introducer(client: number): (Introducer & { at: number }) | null {
    const row = this.ready()
      .exec<{ conn: string; link: string; at: number }>("SELECT conn, link, at FROM client_ids WHERE client = ?", client)
      .toArray()[0];
    return row ? { conn: row.conn, link: row.link, at: row.at } : null;
  }

  /** True if suggestion `<client>-<counter>` was recorded, made by `author`. */
  hasSuggestion(client: number, counter: number, author: string): boolean {
    const s = this.suggestionsOf(client);
    return s !== null && counter <= s.max && s.authors.includes(author);
  }

  /** Remembers suggestion ids as the document now has them (own or seen in it). */
  noteSuggestion(client: number, counter: number, author: string): void {
    const s = this.suggestionsOf(client) ?? { max: 0, authors: [] };
    const known = counter <= s.max && s.authors.includes(author);
    if (known) return;
    // A client id names itself with one name, or a few if its person renamed
    // themselves mid-session; past the cap a name is not remembered (moving such a
    // suggestion later is then refused, never anything else).
    const authors =
      s.authors.includes(author) || s.authors.length >= MAX_SUGGESTION_AUTHORS_PER_CLIENT_ID ? s.authors : [...s.authors, author];
    const next = { max: Math.max(s.max, counter), authors };
    this.ready().exec(
      `INSERT INTO client_ids (client, conn, link, at, suggest_max, suggest_authors) VALUES (?, '', '', 0, ?, ?)
       ON CONFLICT (client) DO UPDATE SET suggest_max = excluded.suggest_max, suggest_authors = excluded.suggest_authors`,
      client,
      next.max,
      JSON.stringify(next.authors),
    );
    this.suggestions.set(client, next);
  }

  private suggestionsOf(client: number): { max: number; authors: string[] } | null {
    const cached = this.suggestions.get(client);
    if (cached !== undefined) return cached;
    const row = this.ready()
      .exec<{ m: number; a: string | null }>("SELECT suggest_max AS m, suggest_authors AS a FROM client_ids WHERE client = ?", client)
      .toArray()[0];
    let found: { max: number; authors: string[] } | null = null;
    if (row?.a) {
      try {
        const authors: unknown = JSON.parse(row.a);
        if (Array.isArray(authors)) found = { max: Number(row.m), authors: authors.filter((a): a is string => typeof a === "string") };
      } catch {
        /* a damaged list only forgets suggestions */
      }
    }
    this.suggestions.set(client, found);
    return found;
  }
}
