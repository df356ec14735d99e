/**
 * The persist stage: a change is in SQLite before anything about it is sent. The
 * append is synchronous and comes first in the same turn as the broadcast and the
 * acks (pipeline.ts), and workerd's output gate holds every message sent after a write
 * until that write is committed, so nobody sees an update that a kill -9 could lose.
 */
import * as Y from "yjs";
import { UPDATED_AT_RESOLUTION_MS } from "../../shared/limits";
import { log } from "../lib/log";
import { MetaKey } from "../storage/meta-keys";
import type { RoomContext } from "./context";

export type Persisted = "stored" | "repaired" | "skipped" | "failed";

export class Persist {
  private lastUpdatedAtMs = 0;

  constructor(private readonly room: Pick<RoomContext, "phase" | "store" | "history" | "recovery" | "doc" | "docId">) {}

  /** Stores `change` (Yjs V1, what the live document just took). */
  store(change: Uint8Array): Persisted {
    const { room } = this;
    if (room.phase.kind === "deleting") return "skipped";
    try {
      if (room.phase.kind === "read-only" && room.phase.reason === "damaged") {
        // A damaged log is not appended to: the first change that gets here (the
        // server's: a restore, a title) replaces the whole storage with the repaired
        // document, keeping the old rows in quarantine.
        room.store.replaceAll(Y.encodeStateAsUpdateV2(room.doc()));
        log("warn", "repaired", { doc: room.docId() });
        return "repaired";
      }
      room.store.append(change);
      const now = Date.now();
      if (now - this.lastUpdatedAtMs >= UPDATED_AT_RESOLUTION_MS) {
        room.store.setMeta(MetaKey.UpdatedAt, now);
        this.lastUpdatedAtMs = now;
      }
    } catch (err) {
      room.recovery.storageFailed(err);
      return "failed";
    }
    room.history.noteEdit();
    return "stored";
  }
}
