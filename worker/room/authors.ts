/**
 * The document's authors, as the server recorded them: one person per browser author
 * key (client-ids.ts keeps the key's hash, the name and the link per client id), and
 * one AI author per accepted answer (ai-attribution.ts). Read-only: the authorship and
 * compare answers resolve Yjs client ids through one `AuthorView` taken per request.
 */
import { type Author, AuthorKind, UNKNOWN_AUTHOR_ID } from "../../shared/authorship";

type Sql = SqlStorage;

/** What an answer needs: who wrote a client id's items, and those authors' records. */
export interface AuthorView {
  /** The author id of `client`'s items (`UNKNOWN_AUTHOR_ID` when nothing is recorded). */
  authorOf(client: number): string;
  /** The records of `ids`, in first-seen order; unknown ids become "Earlier writers". */
  authors(ids: Iterable<string>): Author[];
}

type ClientRow = {
  client: number;
  link: string;
  at: number;
  name: string | null;
  key: string | null;
};

type AiRow = {
  client: number;
  model: string;
  command: string;
  requested_by: string;
  accepted_by: string;
  landing: string;
  at: number;
};

/** A person's id: their key hash when their browser gave one, else their client id. */
const personId = (r: ClientRow): string => (r.key ? `p-${r.key.slice(0, 16)}` : `p-c${r.client}`);

export class AuthorDirectory {
  constructor(
    private readonly sql: Sql,
    private readonly ensureTables: () => void,
  ) {}

  /** One consistent read of the records (one SELECT per table, not one per client id). */
  view(): AuthorView {
    this.ensureTables();
    const byClient = new Map<number, string>();
    const records = new Map<string, Author>();
    const people = this.sql
      .exec<ClientRow>("SELECT client, link, at, name, author_key_hash AS key FROM client_ids WHERE link != '' ORDER BY at, client")
      .toArray();
    for (const r of people) {
      const id = personId(r);
      byClient.set(r.client, id);
      const link = r.link === "owner" || r.link === "edit" ? r.link : undefined;
      const prev = records.get(id);
      // The latest session's name and link: a person who renamed themselves is shown
      // by their current name, as in the caret labels.
      records.set(id, {
        id,
        name: r.name ?? prev?.name ?? (link === "owner" ? "Owner" : "Editor"),
        kind: AuthorKind.Person,
        ...(link ? { link } : {}),
        at: prev?.at ?? r.at,
      });
    }
    for (const r of this.sql.exec<AiRow>("SELECT * FROM ai_clients").toArray()) {
      const id = `ai-${r.client}`;
      byClient.set(r.client, id);
      records.set(id, {
        id,
        name: "AI",
        kind: AuthorKind.Ai,
        model: r.model,
        command: r.command,
        requestedBy: r.requested_by,
        acceptedBy: r.accepted_by,
        landing: r.landing as Author["landing"],
        at: r.at,
      });
    }
    return {
      authorOf: (client) => byClient.get(client) ?? UNKNOWN_AUTHOR_ID,
      authors: (ids) => {
        const out: Author[] = [];
        const seen = new Set<string>();
        for (const id of ids) {
          if (seen.has(id)) continue;
          seen.add(id);
          out.push(records.get(id) ?? { id, name: "Earlier writers", kind: AuthorKind.Person });
        }
        return out;
      },
    };
  }
}
