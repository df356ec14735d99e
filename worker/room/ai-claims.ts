/**
 * AI attribution is granted by the server, never taken. When a person accepts an AI
 * answer, their client writes it under a fresh Yjs client id and then claims that id
 * for the answer (`ai-outcome` with `clientId`; worker/ai/outcome.ts hands it here).
 * Once the update that introduces the id has been applied, the claim is settled:
 * the id holds an AI answer only if every character it wrote is in the text the server
 * generated for that request (letters and digits compared, so Markdown syntax and
 * spacing the editor adds do not matter). Otherwise the text stays its writer's own:
 * a client typing the same words is the author of its own words. A granted id is
 * sealed (ai-attribution.ts): nothing more may be written with it.
 *
 * The claim's client id does not count against its connection's new-client-id budget
 * (growth.ts): accepting answers must not wear a session out. It still counts for the
 * document's, and one claim is pending per connection at a time.
 */
import * as Y from "yjs";
import type { AiAttributionClaim } from "../ai/outcome";
import type { AiAttribution, AiAttributionRecord } from "./ai-attribution";

/** An answer's claim (ai/outcome.ts) with who accepted it. */
export interface AiClaim extends AiAttributionClaim {
  acceptedBy: string;
}

/** Letters and digits only, lower-cased: what must match between answer and text. */
export const essence = (s: string): string =>
  s
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");

/** The text `client` wrote that is still in the document (deleted text is gone). */
export function textWrittenBy(doc: Y.Doc, client: number): string[] {
  const out: string[] = [];
  for (const s of doc.store.clients.get(client) ?? []) {
    if (s instanceof Y.Item && !s.deleted && s.content instanceof Y.ContentString) out.push(s.content.str);
  }
  return out;
}

/** True when every piece is part of the answer, and together they are no longer than it. */
export function fromAnswer(pieces: readonly string[], answer: string): boolean {
  const whole = essence(answer);
  let total = 0;
  for (const p of pieces) {
    const e = essence(p);
    if (!whole.includes(e)) return false;
    total += e.length;
  }
  return total > 0 && total <= whole.length;
}

export class AiClaims {
  /** Per connection, the claim waiting for its update. */
  private readonly pending = new Map<string, AiClaim>();

  constructor(private readonly ai: AiAttribution) {}

  /** A claim arrives. The client writes the answer first and then claims its id, but
   * the room may still be holding that update in a batch: a claim for an id the
   * document already has is settled now (it must be this connection's own), one for an
   * id it does not have yet waits for the update. Returns why it was refused, or null. */
  expect(conn: string, doc: Y.Doc, claim: AiClaim, introducer: (client: number) => string | null): string | null {
    if (this.ai.isSealed(claim.clientId)) return "the client id holds an AI answer already";
    if (this.ai.hasCall(claim.callId)) return "the answer was attributed already";
    if (!doc.store.clients.has(claim.clientId)) {
      this.pending.set(conn, claim);
      return null;
    }
    if (introducer(claim.clientId) !== conn) return "the client id is not this connection's";
    this.pending.set(conn, claim);
    return this.settle(conn, doc, [claim.clientId]) === "refused" ? "the text is not the generated answer" : null;
  }

  /** The id this connection announced for an answer (exempt from its per-connection budget). */
  isPending(conn: string, client: number): boolean {
    return this.pending.get(conn)?.clientId === client;
  }

  /** After an update from `conn` introducing `newClients` was applied: grant or drop. */
  settle(conn: string, doc: Y.Doc, newClients: readonly number[], now = Date.now()): AiAttributionRecord | "refused" | null {
    const claim = this.pending.get(conn);
    if (!claim || !newClients.includes(claim.clientId)) return null;
    this.pending.delete(conn);
    if (!fromAnswer(textWrittenBy(doc, claim.clientId), claim.answer)) return "refused";
    const record: AiAttributionRecord = {
      client: claim.clientId,
      conn,
      call: claim.callId,
      model: claim.model,
      command: claim.command,
      requestedBy: claim.requestedBy,
      acceptedBy: claim.acceptedBy,
      landing: claim.landing,
      at: now,
    };
    this.ai.record(record);
    return record;
  }

  closed(conn: string): void {
    this.pending.delete(conn);
  }
}
