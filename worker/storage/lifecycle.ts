/**
 * A document's life: live, being deleted, deleted. Deleting is three steps, each safe
 * to repeat, so a crash at any point leaves a state that either finishes or was final:
 *
 *  1. begin (synchronous, one commit): mark `deleting_at` in meta and set an alarm.
 *     From here on the DO answers 410 / closes with 4410 and never loads the content.
 *  2. sweep R2: list and delete every object under `docs/<id>/`, until none is left.
 *  3. wipe: `deleteAll()` (SQLite tables, KV, alarm), then write a tombstone
 *     (`meta.deleted_at`) so later requests answer 410 rather than 404, and set one
 *     last alarm that sweeps R2 again for uploads that were in flight at step 1.
 *
 * A crash after 1 resumes from 2 on the alarm or on the next request. A crash between
 * `deleteAll()` and the tombstone leaves empty storage: the id then answers 404, and
 * nothing else is left anywhere (R2 was swept before the wipe).
 */
import { DELETE_FINAL_SWEEP_DELAY_MS, DELETE_RETRY_DELAY_MS } from "../../shared/limits";
import { errorMessage, log } from "../lib/log";
import { MetaKey } from "./meta-keys";
import { tableExists } from "./sqlite";

export type Phase = "absent" | "live" | "deleting" | "deleted";

const CREATED = MetaKey.CreatedAt;
const DELETING = MetaKey.DeletingAt;
const DELETED = MetaKey.DeletedAt;

/** Reads the phase without creating anything: an unknown id leaves no trace. */
export function docPhase(storage: DurableObjectStorage): Phase {
  if (!tableExists(storage.sql, "meta")) return "absent";
  const keys = new Set(
    storage.sql
      .exec("SELECT key FROM meta WHERE key IN (?, ?, ?)", CREATED, DELETING, DELETED)
      .toArray()
      .map((r) => r.key),
  );
  if (keys.has(DELETED)) return "deleted";
  if (keys.has(DELETING)) return "deleting";
  return keys.has(CREATED) ? "live" : "absent";
}

/** The R2 prefix under which anything belonging to a document is stored. */
export const r2Prefix = (docId: string): string => `docs/${docId}/`;

/** Deletes every object under `prefix`, listing again until nothing is left (objects
 * written meanwhile are caught too). Returns how many were deleted. */
export async function sweepR2(bucket: R2Bucket, prefix: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await bucket.list({ prefix, limit: 1000 });
    if (page.objects.length === 0) return deleted;
    await bucket.delete(page.objects.map((o) => o.key));
    deleted += page.objects.length;
  }
}

export interface LifecycleHost {
  storage: DurableObjectStorage;
  bucket: R2Bucket;
  docId(): string;
  /** The delete began: from now on nothing may be applied or stored, and every live
   * connection is closed with 4410. */
  deleting(): void;
  /** Called after storage was wiped, to drop caches of it. */
  wiped(): void;
}

export class Lifecycle {
  private finishing: Promise<boolean> | null = null;

  constructor(private readonly host: LifecycleHost) {}

  /** Step 1. Synchronous, so everything after it in this turn already sees the mark. */
  begin(): void {
    const { storage } = this.host;
    const now = Date.now();
    storage.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", DELETING, now);
    // Same commit as the mark: if this instance dies, the alarm finishes the job.
    storage.setAlarm(now + DELETE_RETRY_DELAY_MS).catch((err: unknown) => {
      log("error", "delete-alarm-failed", { doc: this.host.docId(), error: errorMessage(err) });
    });
    this.host.deleting();
  }

  /** Steps 2 and 3. Resolves true when everything is gone, false when it must be
   * retried (R2 failed); the alarm set in step 1 retries it. Concurrent calls share one run. */
  finish(): Promise<boolean> {
    this.finishing ??= this.run().finally(() => {
      this.finishing = null;
    });
    return this.finishing;
  }

  private async run(): Promise<boolean> {
    const { storage, bucket } = this.host;
    const doc = this.host.docId();
    let objects: number;
    try {
      objects = await sweepR2(bucket, r2Prefix(doc));
    } catch (err) {
      log("error", "delete-sweep-failed", { doc, error: errorMessage(err) });
      return false;
    }
    await storage.deleteAll();
    this.host.wiped();
    storage.sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value)");
    storage.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", DELETED, Date.now());
    await storage.setAlarm(Date.now() + DELETE_FINAL_SWEEP_DELAY_MS);
    log("info", "deleted", { doc, r2Objects: objects });
    return true;
  }

  /** Alarms only ever serve deletion: finish an interrupted one, or make the final
   * R2 sweep after a finished one. A failure schedules another try. */
  async onAlarm(): Promise<void> {
    const phase = docPhase(this.host.storage);
    if (phase === "deleting") {
      this.host.deleting();
      if (!(await this.finish())) await this.host.storage.setAlarm(Date.now() + DELETE_RETRY_DELAY_MS);
      return;
    }
    if (phase === "deleted") {
      const doc = this.host.docId();
      try {
        const late = await sweepR2(this.host.bucket, r2Prefix(doc));
        if (late > 0) log("info", "delete-late-objects", { doc, r2Objects: late });
      } catch (err) {
        log("error", "delete-sweep-failed", { doc, error: errorMessage(err) });
        await this.host.storage.setAlarm(Date.now() + DELETE_RETRY_DELAY_MS);
      }
    }
  }
}
