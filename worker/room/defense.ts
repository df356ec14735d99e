/**
 * The room's rules for what client updates may add and who may write what, composed
 * for the applier (apply.ts `contexts`): growth.ts (new client ids, items) and
 * identity-marks.ts (suggestion and comment marks), over the record of who introduced
 * each client id (client-ids.ts). Both run inside update-check.ts's pass, before an
 * update touches the live document; what they let through is recorded once applied.
 */
import type * as Y from "yjs";
import { SUGGESTION_MARKS, SUGGESTION_NODE_ATTRS } from "../../shared/schema-suggestion";

/** Where suggestion ids live: marks on text, records on nodes. */
const SUGGESTION_PLACES = [...SUGGESTION_MARKS, ...SUGGESTION_NODE_ATTRS];
import { log } from "../lib/log";
import { MetaKey } from "../storage/meta-keys";
import type { DocStore } from "../storage/store";
import { ClientIdRegistry } from "./client-ids";
import { GrowthBudget, type Sender } from "./growth";
import { IdentityMarks, suggestionsIn } from "./identity-marks";
import type { SenderRules } from "./update-check";

export interface DefenseHost<C> {
  sql: SqlStorage;
  store: DocStore;
  docId(): string;
  doc(): Y.Doc;
  /** Who sends on `conn`: its id, link kind, and whether it is the owner now. */
  sender(conn: C): Sender;
  threadExists(threadId: string): boolean;
}

export class RoomDefense<C extends { readonly id: string }> {
  readonly registry: ClientIdRegistry;

  constructor(private readonly host: DefenseHost<C>) {
    this.registry = new ClientIdRegistry(host.sql);
  }

  /** The rules for one batch of updates (one transaction). */
  batch(): SenderRules<C> {
    const doc = this.host.doc();
    const growth = new GrowthBudget(doc, this.registry);
    const marks = new IdentityMarks(doc, this.registry, SUGGESTION_PLACES, (id) => this.host.threadExists(id));
    return {
      of: (conn) => {
        const sender = this.host.sender(conn);
        return {
          admit: (g) => {
            const refusal = growth.admit(sender, g);
            if (refusal) log("warn", "growth-refused", { doc: this.host.docId(), conn: conn.id, reason: refusal.reason });
            return refusal;
          },
          marks: (found) => marks.check(found),
        };
      },
      accepted: (conn, verdict) => {
        if (verdict.growth) growth.accepted(this.host.sender(conn), verdict.growth);
        if (verdict.marks) marks.accepted(verdict.marks);
      },
    };
  }

  /** After each load: a document from before the record existed has its suggestion ids
   * recorded once, so that moving their text keeps working after the marks are gone. */
  loaded(): void {
    if (this.host.store.getMeta(MetaKey.SuggestionsRecorded) !== null) return;
    for (const s of suggestionsIn(this.host.doc(), SUGGESTION_PLACES)) this.registry.noteSuggestion(s.client, s.counter, s.author);
    this.host.store.setMeta(MetaKey.SuggestionsRecorded, Date.now());
  }
}
