/**
 * Drives the "Saved" state from the server, not from the socket: every local update
 * bumps `localSeq`; the tracker asks the server "sync-check {seq}" and the server
 * answers "saved {seq}" only once everything sent before the check is durable (the
 * DO output gate holds the answer until the SQLite commit). One check covers a burst.
 */
import { SAVE_CHECK_INTERVAL_MS } from "../../../shared/limits";

export class SaveTracker {
  private localSeq = 0;
  private ackedSeq = 0;
  private inFlight: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly sendCheck: (seq: number) => boolean,
    private readonly onChange: () => void,
  ) {}

  get pending(): boolean {
    return this.localSeq > this.ackedSeq;
  }

  /** A local change happened. */
  bump(): void {
    this.localSeq += 1;
    this.schedule();
    this.onChange();
  }

  /** The server confirmed everything before `seq`. */
  acked(seq: number): void {
    if (seq > this.ackedSeq) this.ackedSeq = seq;
    if (this.inFlight !== null && seq >= this.inFlight) this.inFlight = null;
    if (this.pending) this.schedule();
    this.onChange();
  }

  /** After a (re)connect and sync: checks sent on the old socket will never be answered. */
  resynced(): void {
    this.inFlight = null;
    if (this.pending) this.schedule(0);
    this.onChange();
  }

  private schedule(delay = SAVE_CHECK_INTERVAL_MS): void {
    if (this.timer !== null || this.inFlight !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.pending || this.inFlight !== null) return;
      const seq = this.localSeq;
      if (this.sendCheck(seq)) this.inFlight = seq;
    }, delay);
  }

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
  }
}
