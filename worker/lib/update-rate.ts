/** Accepted updates in the last minute, in one-second buckets (for /stats). Memory
 * only: a room that hibernated has, correctly, had no updates for a while. */
const WINDOW_S = 60;

export class UpdateRate {
  private readonly counts = new Array<number>(WINDOW_S).fill(0);
  private readonly seconds = new Array<number>(WINDOW_S).fill(-1);

  constructor(private readonly now: () => number = Date.now) {}

  add(n = 1): void {
    const s = Math.floor(this.now() / 1000);
    const i = s % WINDOW_S;
    if (this.seconds[i] !== s) {
      this.seconds[i] = s;
      this.counts[i] = 0;
    }
    this.counts[i]! += n;
  }

  perMinute(): number {
    const s = Math.floor(this.now() / 1000);
    let total = 0;
    for (let i = 0; i < WINDOW_S; i++) if (s - this.seconds[i]! < WINDOW_S) total += this.counts[i]!;
    return total;
  }
}
