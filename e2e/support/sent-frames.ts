/**
 * What a page's document sockets sent, recorded inside the page: an init script wraps
 * WebSocket.prototype.send and keeps, per binary frame, its first two bytes and length
 * (a y-websocket sync message starts with 0; its second byte is 0 step 1, 1 step 2,
 * 2 update). Reading the record is the barrier for "this action sent nothing":
 * page.evaluate runs after every input event Playwright dispatched before it, and the
 * provider sends in the same task as the change, so a frame the action caused is
 * already in the record; no pause is needed.
 */
import type { Page } from "@playwright/test";

export interface SentFrame {
  type: number;
  sub: number;
  bytes: number;
}

declare global {
  interface Window {
    __quireSent?: SentFrame[];
  }
}

export interface SentFrames {
  /** Frames sent since the page loaded (or since `clear`). */
  read(): Promise<SentFrame[]>;
  clear(): Promise<void>;
}

/** Call before the page navigates to the document (it takes effect on every load). */
export async function recordSentFrames(page: Page): Promise<SentFrames> {
  await page.addInitScript(() => {
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (this.url.includes("/parties/") && typeof data !== "string" && !(data instanceof Blob)) {
        const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
        window.__quireSent ??= [];
        window.__quireSent.push({ type: bytes[0] ?? -1, sub: bytes[1] ?? -1, bytes: bytes.byteLength });
      }
      return send.call(this, data);
    };
  });
  return {
    read: () => page.evaluate(() => window.__quireSent ?? []),
    clear: () =>
      page.evaluate(() => {
        window.__quireSent = [];
      }),
  };
}
