/**
 * Groups streamed text into at most one message per interval. The first piece goes
 * out at once (time to first character is what people notice); later pieces wait for
 * the interval, so a fast model does not become hundreds of tiny WebSocket frames.
 * The timer exists only while text is buffered, so it never keeps an idle room awake.
 */
export class DeltaBatcher {
  private buffer = "";
  private lastSent = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalMs: number,
    private readonly maxChars: number,
    private readonly now: () => number = Date.now,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.buffer += text;
    if (this.buffer.length >= this.maxChars) {
      this.flush();
      return;
    }
    if (this.timer !== undefined) return;
    const wait = this.lastSent + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends whatever is buffered now (also at the end of a stream). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.buffer) {
      const piece = this.buffer.slice(0, this.maxChars);
      this.buffer = this.buffer.slice(piece.length);
      this.send(piece);
    }
    this.lastSent = this.now();
  }

  /** Drops buffered text without sending it (a stopped or failed request). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer = "";
  }
}
