/**
 * A reader that never drains its socket must not make the server queue every later
 * update for it: it is dropped (4408) once MAX_UNREAD_BYTES are unconfirmed, and the
 * room goes on. The slow reader here is a real TCP socket that completes the WebSocket
 * handshake and then stops reading, so the bytes pile up in the server's buffers, as
 * with a stalled or hostile client.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";
import { afterAll, expect, it } from "vitest";
import { CloseCode } from "../shared/close-codes";
import { MAX_MESSAGE_BYTES, MAX_UNREAD_BYTES } from "../shared/limits";
import { YClient } from "./support/yclient";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";

const INSERT_CHARS = 400_000;
const ROUNDS = 32; // ~12.8 MB of broadcast, well past MAX_UNREAD_BYTES

let server: QuireServer | undefined;
afterAll(async () => {
  await server?.stop();
});

/** A WebSocket client by hand: handshake, then reads only when told to. */
class StalledSocket {
  private chunks: Buffer[] = [];
  private ended = false;
  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (d) => this.chunks.push(d));
    socket.on("end", () => (this.ended = true));
    socket.on("close", () => (this.ended = true));
    socket.on("error", () => (this.ended = true));
  }

  static async open(url: string): Promise<StalledSocket> {
    const u = new URL(url);
    const socket = net.connect(Number(u.port), u.hostname);
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const s = new StalledSocket(socket);
    socket.write(
      `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const deadline = Date.now() + 10_000;
    while (!Buffer.concat(s.chunks).includes("\r\n\r\n")) {
      if (Date.now() > deadline || s.ended) throw new Error("no upgrade response");
      await new Promise((r) => setTimeout(r, 10));
    }
    const head = Buffer.concat(s.chunks).toString("latin1");
    if (!head.startsWith("HTTP/1.1 101")) throw new Error(`upgrade refused: ${head.split("\r\n")[0]}`);
    return s;
  }

  stopReading(): void {
    this.socket.pause();
  }

  /** Reads everything the server had queued, up to its close frame or the end. */
  async drain(timeoutMs: number): Promise<{ payloadBytes: number; closeCode: number | null }> {
    this.socket.resume();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseFrames(Buffer.concat(this.chunks));
      if (parsed.closeCode !== null || this.ended || Date.now() > deadline) {
        this.socket.destroy();
        return parsed;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Server→client frames are unmasked; skips the HTTP head first. */
function parseFrames(all: Buffer): { payloadBytes: number; closeCode: number | null } {
  let i = all.indexOf("\r\n\r\n") + 4;
  let payloadBytes = 0;
  while (i + 2 <= all.length) {
    const opcode = all[i]! & 0x0f;
    let len = all[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      if (at + 2 > all.length) break;
      len = all.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      if (at + 8 > all.length) break;
      len = Number(all.readBigUInt64BE(at));
      at += 8;
    }
    if (at + len > all.length) break;
    if (opcode === 8) return { payloadBytes, closeCode: len >= 2 ? all.readUInt16BE(at) : 1005 };
    payloadBytes += len;
    i = at + len;
  }
  return { payloadBytes, closeCode: null };
}

it("drops a reader that stops reading once it is MAX_UNREAD_BYTES behind; the room goes on", async () => {
  server = await startQuire();
  const doc = await createDoc(server, "Slow reader");
  const url = docUrl(server, doc.id, doc.editToken);
  const writer = await YClient.open(url);
  const reader = await YClient.open(url);
  const stalled = await StalledSocket.open(url);
  stalled.stopReading();

  const text = writer.paragraph();
  const filler = "x".repeat(INSERT_CHARS);
  for (let round = 0; round < ROUNDS; round++) {
    // Insert and delete: the broadcast is large, the stored document stays small.
    text.insert(0, filler);
    text.delete(0, INSERT_CHARS);
    text.insert(text.length, `${round} `);
    await writer.saved(30_000);
  }
  const expected = text.toString();
  const deadline = Date.now() + 15_000;
  while (reader.paragraph().toString() !== expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

  const { payloadBytes, closeCode } = await stalled.drain(30_000);
  console.log(
    `slow reader: ${ROUNDS} × ${INSERT_CHARS} chars broadcast; stalled socket got ${(payloadBytes / 2 ** 20).toFixed(1)} MiB, then close ${closeCode}`,
  );
  expect(closeCode).toBe(CloseCode.TooSlow);
  // What was already on its way when it was dropped, and nothing after.
  expect(payloadBytes).toBeLessThan(MAX_UNREAD_BYTES + 2 * MAX_MESSAGE_BYTES);
  expect(reader.paragraph().toString()).toBe(expected);
  expect(reader.closeEvent).toBeNull();
  expect(writer.closeEvent).toBeNull();
  await writer.close();
  await reader.close();
}, 180_000);
