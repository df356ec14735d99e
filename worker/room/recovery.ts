/**
 * When the live document can no longer be trusted, the room restarts from storage.
 *
 * Two ways to get there: an update that passed every check still broke Yjs (it threw,
 * or left a transaction it never finished, after which no update event fires, so
 * nothing would be stored or broadcast again), or appending to SQLite failed. In both
 * cases nothing of the failed change was stored or sent: Yjs emits no update for a
 * transaction that broke, and a failed append throws before the broadcast listener.
 *
 * The restart: find which updates of the batch break a copy rebuilt from storage,
 * remember their Yjs client ids (so the same change re-sent on reconnect is refused
 * instead of breaking the room again), close their senders with 4422 and everyone
 * else with 4503, and load a fresh document from storage in place of the broken one.
 * Clients reconnect and resync what they had, which is how every honest change that
 * was not yet stored comes back.
 *
 * The owner's "Rebuild from this version" goes the same way out: everyone is cut while
 * the stored state is replaced, then the room reloads from it.
 */
import type { Connection } from "partyserver";
import * as Y from "yjs";
import { CloseCode } from "../../shared/close-codes";
import { errorMessage, log } from "../lib/log";
import { isPoisoned } from "../lib/yjs";
import { DocStore } from "../storage/store";
import { MetaKey } from "../storage/meta-keys";
import type { Incoming } from "./apply";
import type { RoomContext } from "./context";
import { REBUILDING_REASON, type RoomPhase } from "./phase";

/** Refused client ids kept per document: a handful in practice; a bound all the same. */
const MAX_REFUSED_CLIENTS = 1_000;

/** The part of the room (RoomContext) recovery uses, and the two things only it does:
 * set the phase, and reload the document. */
export type RecoveryRoom = Pick<RoomContext, "docId" | "storage" | "store" | "conns" | "phase" | "waitUntil" | "flush"> & {
  setPhase(phase: RoomPhase): void;
  /** Replaces the live document with a fresh one loaded from storage; sets the phase. */
  reload(): Promise<void>;
};

export class RoomRecovery {
  private storageBroken = false;
  private refused = new Set<number>();

  constructor(private readonly room: RecoveryRoom) {}

  /** Reads the refused client ids (after the tables exist). */
  init(): void {
    const raw = this.room.store.getMeta(MetaKey.RefusedClients);
    if (typeof raw !== "string") return;
    try {
      const ids: unknown = JSON.parse(raw);
      if (Array.isArray(ids)) for (const id of ids) if (typeof id === "number") this.refused.add(id);
    } catch {
      /* a damaged list only forgets refusals */
    }
  }

  refusedClients(): ReadonlySet<number> {
    return this.refused;
  }

  /** An append failed; the room restarts once the transaction unwinds. */
  storageFailed(err: unknown): void {
    this.storageBroken = true;
    log("error", "append-failed", { doc: this.room.docId(), error: errorMessage(err) });
  }

  /** The live document broke while applying `batch` (empty for a server change). */
  poisoned(batch: Incoming<Connection>[], error: unknown): void {
    if (this.room.phase.kind === "restarting") return;
    this.room.setPhase({ kind: "restarting" });
    log("error", "room-poisoned", {
      doc: this.room.docId(),
      updates: batch.length,
      error: error === null ? "unfinished transaction" : errorMessage(error),
      storage: this.storageBroken ? "failed" : "ok",
    });
    this.room.waitUntil(this.restart(batch));
  }

  private async restart(batch: Incoming<Connection>[]): Promise<void> {
    const culprits = new Set<Connection>();
    if (!this.storageBroken && batch.length > 0) {
      try {
        const bad = await findCulprits(
          () => this.scratch(),
          batch.map((b) => b.update),
        );
        const ids = new Set(this.refused);
        for (const i of bad) {
          culprits.add(batch[i]!.conn);
          for (const id of clientsOf(batch[i]!.update)) ids.add(id);
        }
        const kept = [...ids].slice(-MAX_REFUSED_CLIENTS);
        this.room.store.setMeta(MetaKey.RefusedClients, JSON.stringify(kept));
        await this.room.storage.sync();
      } catch (err) {
        log("error", "culprit-search-failed", { doc: this.room.docId(), error: errorMessage(err) });
      }
    }
    for (const conn of this.room.conns.all()) {
      log("warn", "closing", { conn: conn.id });
      const mine = culprits.has(conn);
      close(
        conn,
        mine ? CloseCode.Unprocessable : CloseCode.Unavailable,
        mine ? "The server refused a change that breaks the document" : "Restarting; reconnect",
      );
    }
    log("warn", "room-restarting", { doc: this.room.docId(), refused: culprits.size });
    // Reloaded in place: resetting the Durable Object (ctx.abort) would drop the close
    // frames above, and clients would see only an abnormal 1006.
    try {
      await this.room.reload();
    } catch (err) {
      log("error", "reload-failed", { doc: this.room.docId(), error: errorMessage(err) });
      this.room.setPhase({ kind: "load-failed", error: errorMessage(err) });
    } finally {
      this.storageBroken = false;
    }
  }

  /** Storage was rewritten under the live room (a document that failed to load was
   * replaced by a version): cut everyone and reload from it. */
  restartFromStorage(): void {
    this.room.setPhase({ kind: "restarting" });
    this.room.waitUntil(this.restart([]));
  }

  /** "Rebuild from this version" (storage/history.ts runs `work`, which replaces the
   * stored state): what was received is applied first, then everyone is cut (4503:
   * they reconnect, and are then of an older epoch, admit.ts) and nothing is taken
   * while it runs (the "rebuilding" phase); then the room reloads from storage. */
  async whileRebuilding<T>(work: () => Promise<T>): Promise<T> {
    this.room.flush();
    this.room.setPhase({ kind: "rebuilding" });
    for (const conn of this.room.conns.all()) close(conn, CloseCode.Unavailable, REBUILDING_REASON);
    try {
      return await work();
    } finally {
      this.restartFromStorage();
    }
  }

  /** A copy of the document as stored: the state before the batch that broke it. */
  private async scratch(): Promise<Y.Doc> {
    const doc = new Y.Doc();
    await new DocStore(this.room.storage).loadInto(doc);
    return doc;
  }
}

/** Indices of the updates that break a document built by `load`, applied in order. */
export async function findCulprits(load: () => Promise<Y.Doc>, updates: Uint8Array[]): Promise<number[]> {
  const out: number[] = [];
  let doc = await load();
  for (let i = 0; i < updates.length; i++) {
    let broke = false;
    try {
      Y.applyUpdate(doc, updates[i]!);
    } catch {
      broke = true;
    }
    if (broke || isPoisoned(doc)) {
      out.push(i);
      doc = await load();
    }
  }
  return out;
}

/** The Yjs client ids whose structs an update carries. */
export function clientsOf(update: Uint8Array): number[] {
  try {
    return [...new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client))];
  } catch {
    return [];
  }
}

function close(conn: Connection, code: number, reason: string): void {
  try {
    conn.close(code, reason);
  } catch {
    /* already closing */
  }
}
