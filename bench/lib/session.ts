/**
 * A workload on one server, split into runs so that several servers can take turns
 * (run 1 on each server, then run 2 on each, ...): load from other processes on the
 * machine then falls on every server alike instead of on whichever ran at the time.
 */
export interface Session<R> {
  /** One run (of `of`). */
  once(run: number, of: number): Promise<void>;
  /** The combined figure (medians over the runs done). */
  result(): R;
  /** Releases clients the session kept between runs. */
  close?(): void;
}
