/**
 * The durability pipeline, as one explicit sequence (docs/ARCHITECTURE.md draws it).
 * For each batch of client updates (batcher.ts), and for each change the server makes:
 *
 *   check + apply   one Yjs transaction (apply.ts); what it changed, as bytes
 *   persist         SQLite append (persist.ts); a failure restarts the room, nothing is sent
 *   broadcast       one walk of the connections (broadcast.ts)
 *   release         held updates that can apply now, each round through the same stages
 *   ack             "saved" to the checks that waited for these updates (acks.ts)
 *
 * All in one synchronous turn, the append before every send: workerd's output gate then
 * holds each send until the commit is on disk.
 */
import type { Connection } from "partyserver";
import type * as Y from "yjs";
import { MAX_DOCUMENT_BYTES } from "../../shared/limits";
import { log } from "../lib/log";
import { advancedClients, changedAnything, isPoisoned, UpdateCapture } from "../lib/yjs";
import type { ReadOnlyReason } from "../storage/load";
import type { Applied, Incoming } from "./apply";
import { broadcast } from "./broadcast";
import type { RoomContext } from "./context";
import { SERVER_ORIGIN } from "./origin";
import { Persist } from "./persist";
import { isReplacing, isServing, readOnlyReason } from "./phase";

/** The room, with the one phase change the pipeline makes (a repair or a shrink). */
export type PipelineRoom = RoomContext & { setReadOnly(reason: ReadOnlyReason | null): void };

export class Pipeline {
  private readonly persist: Persist;
  /** True while a transaction of the pipeline's own runs (see `watch`). */
  private running = false;

  constructor(private readonly room: PipelineRoom) {
    this.persist = new Persist(room);
  }

  /** A batch of client updates. */
  runBatch(batch: Incoming<Connection>[]): void {
    const { room } = this;
    if (!isServing(room.phase)) return;
    room.history.noteBatch(batch.length, authorsOf(room, batch));
    const applied = this.run(() => room.applier.apply(batch));
    if (!applied || !this.commit(applied) || !this.release(applied.advanced)) return;
    room.acks.batchDone();
    room.history.compactIfDue();
  }

  /** A change made by the server (title, imported content, a restore, a comment anchor):
   * one transaction, then the same stages. Throws if the room is restarting or
   * rebuilding, or the change broke it. */
  serverChange(change: () => void, origin: unknown = SERVER_ORIGIN): void {
    const { room } = this;
    if (isReplacing(room.phase)) throw new Error("the room is restarting");
    const doc = room.doc();
    const capture = new UpdateCapture(doc);
    let tr: Y.Transaction | null = null;
    let error: unknown = null;
    try {
      this.run(() =>
        doc.transact((t) => {
          tr = t;
          change();
        }, origin),
      );
    } catch (err) {
      error = err;
    }
    const bytes = capture.stop();
    if (error !== null || isPoisoned(doc)) {
      room.recovery.poisoned([], error);
      throw error ?? new Error("the change left the document unusable");
    }
    const readOnly = readOnlyReason(room.phase);
    // In a damaged document any server change (a restore) repairs the storage, even
    // one that changes nothing.
    if (bytes !== null || readOnly === "damaged") {
      const advanced = tr ? advancedClients(tr) : new Set<number>();
      if (!this.commit({ change: bytes ?? new Uint8Array(), senders: new Map(), advanced, released: [] })) {
        throw new Error("the change could not be stored");
      }
      this.release(advanced);
    }
    if (readOnly === "too-large") {
      // The snapshot counts the old size until the log is folded into a new one.
      void room.history.compactNow().then(() => {
        if (room.store.storedBytes() <= MAX_DOCUMENT_BYTES) room.setReadOnly(null);
      });
    }
    room.history.compactIfDue();
  }

  /** persist → broadcast → the acks its released updates waited for. False when the
   * room broke (it restarts from storage; nothing of this change was sent). */
  private commit(applied: Applied<Connection>): boolean {
    const { room } = this;
    if (applied.change !== null) {
      const stored = this.persist.store(applied.change);
      if (stored === "failed") {
        room.recovery.poisoned([], null);
        return false;
      }
      if (applied.change.byteLength > 0) {
        const senders = [...applied.senders.values()];
        broadcast(room, applied.change, senders.length === 1 ? senders[0]! : null);
      }
      if (stored === "repaired") room.setReadOnly(null);
    }
    for (const conn of applied.released) room.acks.released(conn);
    return true;
  }

  /**
   * Every change to the live document drops the kept whole-document answer (sync.ts).
   * And a safety net, not a stage: a change made to the live document outside the pipeline
   * (a bug: every writer should go through serverChange) is still stored and sent, in
   * the same turn, through the same stages, and logged. Yjs encodes a transaction only
   * for "update" listeners, so one is added for that transaction alone.
   */
  watch(doc: Y.Doc): void {
    doc.on("afterTransaction", (tr: Y.Transaction) => {
      if (doc !== this.room.doc() || !changedAnything(tr)) return;
      this.room.answers.changed();
      if (this.running) return;
      log("error", "change-outside-pipeline", {
        doc: this.room.docId(),
        origin: typeof tr.origin === "string" ? tr.origin : typeof tr.origin,
      });
      const advanced = advancedClients(tr);
      doc.once("update", (update: Uint8Array) => {
        // Still inside Yjs' cleanup: store and send now, apply held updates after it.
        if (this.commit({ change: update, senders: new Map(), advanced, released: [] })) queueMicrotask(() => this.release(advanced));
      });
    });
  }

  private run<T>(f: () => T): T {
    this.running = true;
    try {
      return f();
    } finally {
      this.running = false;
    }
  }

  /** Held updates that the change made applicable, round by round. */
  private release(advanced: Set<number>): boolean {
    const rounds = this.run(() => this.room.applier.retryHeld(advanced));
    if (!rounds) return false;
    for (const applied of rounds) if (!this.commit(applied)) return false;
    return true;
  }
}

/** The display names of the batch's writers, from their presence. */
function authorsOf(room: RoomContext, batch: Incoming<Connection>[]): string[] {
  const states = room.awareness().getStates();
  const names = new Set<string>();
  for (const { conn } of batch) {
    const id = room.conns.state(conn).presenceId;
    const user = (id === undefined ? undefined : (states.get(id) as { user?: { name?: unknown } } | undefined))?.user;
    if (typeof user?.name === "string") names.add(user.name);
  }
  return [...names];
}
