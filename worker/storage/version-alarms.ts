/**
 * When automatic versions are made, with the DO's single alarm (never a timer, so an
 * idle room can hibernate):
 *   - the first edit after a version sets an alarm VERSION_INTERVAL_MS ahead, so active
 *     editing yields a version at most that often;
 *   - the last person leaving pulls the alarm in to VERSION_IDLE_DELAY_MS from now (or
 *     the end of the minimum gap), so an idle document is in R2 within seconds;
 *   - the alarm makes the version if anything changed, and sets nothing afterwards
 *     unless R2 failed (then it retries with backoff). Nothing reschedules forever:
 *     a room nobody edits has no alarm.
 * The alarm may wake a hibernated room; it loads, writes, and can sleep again.
 */
import { VERSION_IDLE_DELAY_MS, VERSION_INTERVAL_MS, VERSION_RETRY_MAX_MS, VERSION_RETRY_MS } from "../../shared/limits";
import { errorMessage, log } from "../lib/log";
import type { Compacted } from "./compactor";
import type { Versions } from "./versions";

export class VersionAlarms {
  /** What we believe is scheduled (read from storage when the room loads). */
  private alarmAt: number | null = null;
  private retryMs = 0;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly versions: Versions,
    private readonly docId: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  async init(): Promise<void> {
    this.alarmAt = await this.storage.getAlarm();
  }

  get scheduledAt(): number | null {
    return this.alarmAt;
  }

  /** After an accepted edit. Costs nothing while an alarm is already pending. */
  noteEdit(): void {
    if (this.alarmAt === null) this.set(this.now() + VERSION_INTERVAL_MS);
  }

  /** The last connection closed. */
  noteLastLeave(): void {
    if (!this.versions.dirty) return;
    const at = Math.max(this.now() + VERSION_IDLE_DELAY_MS, this.versions.autoGapEndsAt());
    if (this.alarmAt === null || at < this.alarmAt) this.set(at);
  }

  /** `compacted`: a snapshot just made, reused instead of encoding the state again. */
  async onAlarm(connections: number, compacted: Compacted | null = null): Promise<void> {
    this.alarmAt = null;
    if (!this.versions.dirty) return;
    const gapEnds = this.versions.autoGapEndsAt();
    if (gapEnds > this.now()) {
      this.set(gapEnds);
      return;
    }
    try {
      await this.versions.make(connections > 0 ? "auto" : "idle", compacted ? { from: compacted } : {});
      this.retryMs = 0;
    } catch (err) {
      this.retryMs = Math.min(Math.max(this.retryMs * 2, VERSION_RETRY_MS), VERSION_RETRY_MAX_MS);
      log("warn", "version-failed", { doc: this.docId(), error: errorMessage(err), retryMs: this.retryMs });
      this.set(this.now() + this.retryMs);
    }
  }

  private set(at: number): void {
    this.alarmAt = at;
    this.storage.setAlarm(at).catch((err: unknown) => {
      log("error", "set-alarm-failed", { doc: this.docId(), error: errorMessage(err) });
    });
  }
}
