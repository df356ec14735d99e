/**
 * What one update may add to the document, checked before it touches the live Y.Doc
 * (update-check.ts calls `admit` once per update, right after decoding it):
 *
 *  - **client ids**: Yjs walks the document's whole state vector several times per
 *    transaction, on the server and in every browser, so every client id a document has
 *    makes every later edit slower, for good (bench/results/wear.md: 360,000 client ids
 *    took an honest edit from ~11 ms to ~150–190 ms, keystrokes in Chromium to 0.2–0.5 s).
 *    A browser needs one per session (a new one per reload) and an offline replay
 *    brings back a few older ones of the same browser. So a connection may introduce
 *    MAX_NEW_CLIENT_IDS_PER_CONNECTION, and a document takes NEW_CLIENT_IDS_PER_HOUR_PER_
 *    DOCUMENT and at most MAX_CLIENT_IDS_PER_DOCUMENT from non-owner links (the owner is
 *    never locked out, and rebuilds a worn document from History);
 *  - **items**: every Yjs struct (an item, or a tombstone left by a deletion) costs the
 *    room's memory for as long as the document lives, whatever its size in bytes
 *    (bench/results/doc-memory.md), so their number is bounded by MAX_DOCUMENT_ITEMS.
 *    An update adds at most its own structs plus two splits per delete range.
 *
 * Past a bound, nothing of the update is applied and its sender is closed with a close
 * code it can act on: 4507 for client ids (the browser keeps what it typed), 4413 for
 * size, as for bytes (inbound.ts).
 *
 * One budget per batch (the updates applied in one transaction, each right after its
 * check): what updates earlier in the batch added counts.
 */
import type * as Y from "yjs";
import { CloseCode } from "../../shared/close-codes";
import {
  MAX_CLIENT_IDS_PER_DOCUMENT,
  MAX_DOCUMENT_ITEMS,
  MAX_NEW_CLIENT_IDS_PER_CONNECTION,
  NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT,
} from "../../shared/limits";
import { ErrorCode } from "../../shared/protocol";
import type { ClientIdRegistry, Introducer } from "./client-ids";
import type { Growth, Refusal } from "./update-check";

const HOUR_MS = 60 * 60_000;

/** Client ids of accepted AI answers (room/ai-claims.ts). */
export interface AiExemption {
  granted(conn: string): number;
  pending(conn: string, client: number): boolean;
}
const NO_EXEMPTION: AiExemption = { granted: () => 0, pending: () => false };

/** Who sends an update, as the budgets see it. */
export interface Sender extends Introducer {
  owner: boolean;
}

/** What the document's writers are told when it cannot take more client ids. */
export const CLIENT_IDS_MESSAGE = "This document takes no new editing sessions now (too many); the owner can rebuild it from History";
/** … and when it has reached its size. */
export const SIZE_MESSAGE = "The document has reached its size limit; this change was not saved";

const clientIdRefusal = (reason: string): Refusal => ({
  kind: "refused",
  reason,
  close: { code: CloseCode.TooManyClientIds, error: ErrorCode.TooManyClientIds, message: CLIENT_IDS_MESSAGE },
});

/** Yjs structs in the document (items and tombstones): O(client ids), not O(items). */
export function countItems(doc: Y.Doc): number {
  let n = 0;
  for (const structs of doc.store.clients.values()) n += structs.length;
  return n;
}

export class GrowthBudget {
  /** Items when the batch began, and what its applied updates may have added since. */
  private items: number | null = null;
  private batchItems = 0;
  /** Read from SQLite once per batch, if a new client id shows up at all. */
  private recentCache: number | null = null;

  constructor(
    private readonly doc: Y.Doc,
    private readonly registry: ClientIdRegistry,
    private readonly now = Date.now(),
  ) {}

  /** `exempt`: the sender's ids that hold (or are announced for) accepted AI answers,
   * which its per-connection budget leaves out (room/ai-claims.ts). */
  admit(sender: Sender, g: Growth, exempt: AiExemption = NO_EXEMPTION): Refusal | null {
    const fresh = g.newClients.length;
    if (fresh > 0) {
      // Updates applied earlier in the batch are already recorded (accepted) and in the doc.
      const mine = this.registry.introducedBy(sender.conn) - exempt.granted(sender.conn);
      const own = g.newClients.filter((c) => !exempt.pending(sender.conn, c)).length;
      if (mine + own > MAX_NEW_CLIENT_IDS_PER_CONNECTION) {
        return clientIdRefusal(`${fresh} new client ids from one connection (at most ${MAX_NEW_CLIENT_IDS_PER_CONNECTION})`);
      }
      if (!sender.owner) {
        if (this.doc.store.clients.size + fresh > MAX_CLIENT_IDS_PER_DOCUMENT) {
          return clientIdRefusal(`the document has ${this.doc.store.clients.size} client ids (at most ${MAX_CLIENT_IDS_PER_DOCUMENT})`);
        }
        this.recentCache ??= this.registry.introducedSince(this.now - HOUR_MS);
        if (this.recentCache + fresh > NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT) {
          return clientIdRefusal(`${this.recentCache} new client ids in the last hour (at most ${NEW_CLIENT_IDS_PER_HOUR_PER_DOCUMENT})`);
        }
      }
    }
    const added = g.structs + 2 * g.deleteRanges;
    this.items ??= countItems(this.doc);
    if (added > 0 && this.items + this.batchItems + added > MAX_DOCUMENT_ITEMS) {
      return {
        kind: "refused",
        reason: `the document would hold more than ${MAX_DOCUMENT_ITEMS} items`,
        close: { code: CloseCode.TooLarge, error: ErrorCode.DocumentTooLarge, message: SIZE_MESSAGE },
      };
    }
    return null;
  }

  /** `g` was applied: its client ids are now the sender's. */
  accepted(sender: Sender, g: Growth): void {
    this.batchItems += g.structs + 2 * g.deleteRanges;
    if (g.newClients.length === 0) return;
    this.registry.introduce(g.newClients, sender, this.now);
    if (this.recentCache !== null && !sender.owner) this.recentCache += g.newClients.length;
  }
}
