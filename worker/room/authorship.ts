/**
 * The room's part in who wrote what, beside the records themselves (client-ids.ts,
 * ai-attribution.ts, authors.ts): writing for someone under a client id recorded as
 * theirs (imports, restores), granting an accepted AI answer's client id (ai-claims.ts),
 * and telling exports how much of the document AI wrote.
 */
import type { Connection } from "partyserver";
import type * as Y from "yjs";
import { freshClientId } from "../../shared/ids";
import type { AiAttributionClaim } from "../ai/outcome";
import { nameOf } from "../ai/requester";
import { type AiDisclosure, aiDisclosure } from "../content/ai-disclosure";
import { log } from "../lib/log";
import type { RoomDefense } from "./defense";

export interface AuthorshipHost {
  docId(): string;
  doc(): Y.Doc;
  readonly defense: RoomDefense<Connection>;
  serverChange(change: () => void, origin?: unknown): void;
}

/** Who the server writes for: a person's link and the name the record gives them. */
export interface WrittenFor {
  link: "owner" | "edit";
  name: string;
}

export class RoomAuthorship {
  constructor(private readonly room: AuthorshipHost) {}

  /** Changes the server writes for someone (a restore, an import): under one client id
   * of their own, recorded as theirs, so who-wrote-what names them rather than nobody. */
  writerFor(by: WrittenFor): (change: () => void, origin?: unknown) => void {
    let id: number | null = null;
    let recorded = false;
    return (change, origin) => {
      const doc = this.room.doc();
      const own = doc.clientID;
      id ??= freshClientId(doc);
      doc.clientID = id;
      try {
        this.room.serverChange(change, origin);
      } finally {
        doc.clientID = own;
      }
      if (!recorded && doc.store.clients.has(id)) {
        this.room.defense.registry.introduce([id], { conn: "server", ...by });
        recorded = true;
      }
    };
  }

  /** A requester claims the client id they wrote an accepted answer with (ai/outcome.ts):
   * granted to the AI only for text the server generated (ai-claims.ts). */
  attribute(conn: Connection, claim: AiAttributionClaim): void {
    const { defense } = this.room;
    const refused = defense.claims.expect(
      conn.id,
      this.room.doc(),
      { ...claim, acceptedBy: nameOf(conn) },
      (client) => defense.registry.introducer(client)?.conn ?? null,
    );
    if (refused) log("warn", "ai-claim-refused", { doc: this.room.docId(), conn: conn.id, reason: refused });
  }

  /** AI-written text in the document as it stands (exports disclose it). */
  aiText(): AiDisclosure | null {
    const view = this.room.defense.authors.view();
    return aiDisclosure(this.room.doc(), (client) => {
      const [author] = view.authors([view.authorOf(client)]);
      return author?.kind === "ai" ? (author.model ?? "unknown model") : null;
    });
  }
}
