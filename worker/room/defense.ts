/**
 * The room's rules for what client updates may add and who may write what, composed
 * for the check stage (apply.ts asks for them per batch): growth.ts (new client ids,
 * items) and identity-marks.ts (suggestion and comment marks), over the record of who
 * introduced each client id (client-ids.ts). Both run inside update-check.ts's pass,
 * before an update touches the live document; what they let through is recorded once
 * applied.
 */
import type * as Y from "yjs";
import { CloseCode } from "../../shared/close-codes";
import { ErrorCode, type Role } from "../../shared/protocol";
import type { SocketAuthor } from "../access/author";
import { SUGGESTION_MARKS, SUGGESTION_NODE_ATTRS } from "../../shared/schema-suggestion";
import type { LinkKind } from "../../shared/sharing";
import { log } from "../lib/log";
import { MetaKey } from "../storage/meta-keys";
import type { DocStore } from "../storage/store";
import { AiAttribution } from "./ai-attribution";
import { AiClaims } from "./ai-claims";
import { AuthorDirectory } from "./authors";
import { ClientIdRegistry } from "./client-ids";
import { DeletionRecords } from "./deleters";
import { GrowthBudget, type Sender } from "./growth";
import { IdentityMarks, suggestionsIn } from "./identity-marks";
import type { Growth, Refusal, SenderRules } from "./update-check";

/** Where suggestion ids live: marks on text, records on nodes. */
const SUGGESTION_PLACES = [...SUGGESTION_MARKS, ...SUGGESTION_NODE_ATTRS];

/** The part of the room (RoomContext) the defense reads. */
export interface DefenseHost<C> {
  readonly sql: SqlStorage;
  readonly store: DocStore;
  docId(): string;
  doc(): Y.Doc;
  /** The connection's role now: the owner is never refused for growth. */
  roleOf(conn: C): Role;
  /** The link it came with, recorded with the client ids it introduces. */
  linkOf(conn: C): LinkKind;
  /** Who it writes as (its author key's hash and name: access/author.ts). */
  authorOf(conn: C): SocketAuthor;
  /** The document's comment threads: a comment mark may name only one of them. */
  readonly threads: { readonly store: { thread(id: string): unknown } };
}

export class RoomDefense<C extends { readonly id: string }> {
  readonly registry: ClientIdRegistry;
  /** Client ids granted to AI answers (sealed against later writes). */
  readonly ai: AiAttribution;
  /** Who wrote what, from the two records above (authorship and compare answers). */
  readonly authors: AuthorDirectory;
  /** Announced AI answers waiting for the update that writes them. */
  readonly claims: AiClaims;
  /** Who deleted what (deleters.ts), for compare. */
  readonly deleters: DeletionRecords;

  constructor(private readonly host: DefenseHost<C>) {
    this.registry = new ClientIdRegistry(host.sql);
    this.ai = new AiAttribution(host.sql);
    this.claims = new AiClaims(this.ai);
    this.authors = new AuthorDirectory(host.sql, () => {
      this.registry.ready();
      this.ai.ready();
    });
    this.deleters = new DeletionRecords(
      host.sql,
      () => this.registry.ready(),
      () => host.docId(),
    );
  }

  /** The rules for one batch of updates (one transaction). */
  batch(): SenderRules<C> {
    const doc = this.host.doc();
    const growth = new GrowthBudget(doc, this.registry);
    const marks = new IdentityMarks(doc, this.registry, SUGGESTION_PLACES, (id) => this.host.threads.store.thread(id) !== null);
    return {
      of: (conn) => {
        const sender = this.sender(conn);
        return {
          admit: (g) => {
            const refusal = this.foreign(sender, g) ?? growth.admit(sender, g, this.exemption);
            if (refusal) log("warn", "growth-refused", { doc: this.host.docId(), conn: conn.id, reason: refusal.reason });
            return refusal;
          },
          marks: (found) => marks.check(found),
        };
      },
      accepted: (conn, verdict) => {
        if (verdict.growth) {
          growth.accepted(this.sender(conn), verdict.growth);
          this.deleters.record(conn.id, this.host.authorOf(conn).key, verdict.growth.deletes);
          this.settleClaim(conn, doc, verdict.growth.newClients);
        }
        if (verdict.marks) marks.accepted(verdict.marks);
      },
    };
  }

  /** Who sends on `conn`: its id, link kind, who it writes as, and whether it is the owner now. */
  private sender(conn: C): Sender {
    const author = this.host.authorOf(conn);
    return { conn: conn.id, link: this.host.linkOf(conn), owner: this.host.roleOf(conn) === "owner", key: author.key, name: author.name };
  }

  private readonly exemption = {
    granted: (conn: string) => this.ai.grantedTo(conn),
    pending: (conn: string, client: number) => this.claims.isPending(conn, client),
  };

  /** An AI answer's client id was introduced: granted to the AI, or left its writer's. */
  private settleClaim(conn: C, doc: Y.Doc, newClients: readonly number[]): void {
    if (newClients.length === 0) return;
    const settled = this.claims.settle(conn.id, doc, newClients);
    if (settled === "refused") log("warn", "ai-claim-refused", { doc: this.host.docId(), conn: conn.id });
    else if (settled) log("info", "ai-attributed", { doc: this.host.docId(), conn: conn.id, call: settled.call, landing: settled.landing });
  }

  /** An update that writes with a client id another author introduced, or one granted to
   * an AI answer, is refused whole: its text would be shown as theirs. */
  private foreign(sender: Sender, g: Growth): Refusal | null {
    for (const client of g.writers) {
      const why = this.ai.isSealed(client) ? `client id ${client} holds an AI answer` : this.registry.foreignTo(client, sender);
      if (why) {
        return {
          kind: "refused",
          reason: why,
          close: {
            code: CloseCode.ForeignClientId,
            error: ErrorCode.ForeignClientId,
            message: "This change was written under another author's editing session; it was not saved",
          },
        };
      }
    }
    return null;
  }

  /** After each load: a document from before the record existed has its suggestion ids
   * recorded once, so that moving their text keeps working after the marks are gone. */
  loaded(): void {
    if (this.host.store.getMeta(MetaKey.SuggestionsRecorded) !== null) return;
    for (const s of suggestionsIn(this.host.doc(), SUGGESTION_PLACES)) this.registry.noteSuggestion(s.client, s.counter, s.author);
    this.host.store.setMeta(MetaKey.SuggestionsRecorded, Date.now());
  }
}
