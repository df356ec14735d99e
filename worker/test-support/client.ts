/**
 * Helpers for tests that run inside workerd: create documents through the real
 * Worker (SELF) and talk to them over real WebSockets with a minimal Yjs peer.
 */
import { SELF } from "cloudflare:test";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { type CreateDocResponse, YDOC_CONTENT_FIELD } from "../../shared/api";
import { encodeSyncFrame, MessageType, SyncType } from "../../shared/frames";
import { CUSTOM_MESSAGE_PREFIX, parseServerMessage, type ServerMessage } from "../../shared/protocol";
import { allText, paragraphText } from "./ydoc";

export const ORIGIN = "https://quire.test";

/** A fresh client address (198.18.0.0/15, reserved for tests) per call: tests create
 * documents far faster than the per-address limit allows, and the limit itself is
 * tested at its real setting (create-limit.workers.test.ts). */
export function testAddress(): string {
  const [a, b] = crypto.getRandomValues(new Uint8Array(2));
  return `198.${18 + (a! & 1)}.${b}.${1 + (a! >> 1)}`;
}

export async function createDoc(title?: string): Promise<CreateDocResponse> {
  const res = await SELF.fetch(`${ORIGIN}/api/docs`, {
    method: "POST",
    headers: { "cf-connecting-ip": testAddress() },
    body: JSON.stringify(title ? { title } : {}),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
  return (await res.json()) as CreateDocResponse;
}

const REMOTE = Symbol("remote");

export class Peer {
  readonly doc = new Y.Doc();
  readonly messages: ServerMessage[] = [];
  readonly binary: Uint8Array[] = [];
  closed: { code: number; reason: string } | null = null;
  /** Stop applying the server's updates (a client whose view is stale). */
  frozen = false;
  /** The server's SyncStep2 (the document as it was when this peer joined) arrived. */
  synced = false;
  private waiters: (() => void)[] = [];
  private seq = 0;

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (ev: MessageEvent) => {
      if (typeof ev.data === "string") {
        if (ev.data.startsWith(CUSTOM_MESSAGE_PREFIX)) {
          const msg = parseServerMessage(ev.data.slice(CUSTOM_MESSAGE_PREFIX.length));
          // Answered like the editor does, or flow control drops busy test peers (4408).
          if (msg?.type === "read-check") this.ws.send(`${CUSTOM_MESSAGE_PREFIX}${JSON.stringify({ type: "read-ack", id: msg.id })}`);
          else if (msg) this.messages.push(msg);
        }
      } else {
        const bytes = new Uint8Array(ev.data as ArrayBuffer);
        this.binary.push(bytes);
        this.onBinary(bytes);
      }
      this.notify();
    });
    ws.addEventListener("close", (ev: CloseEvent) => {
      this.closed = { code: ev.code, reason: ev.reason };
      this.notify();
    });
    this.doc.on("update", (u: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.send(encodeSyncFrame(SyncType.Update, u));
    });
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private onBinary(bytes: Uint8Array): void {
    const d = decoding.createDecoder(bytes);
    if (decoding.readVarUint(d) !== MessageType.Sync) return;
    const sub = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (sub === SyncType.Step1) {
      this.send(encodeSyncFrame(SyncType.Step2, Y.encodeStateAsUpdate(this.doc, payload)));
    } else {
      if (!this.frozen) Y.applyUpdate(this.doc, payload, REMOTE);
      if (sub === SyncType.Step2) this.synced = true;
    }
  }

  send(data: Uint8Array | string): void {
    if (this.closed) return;
    this.ws.send(data);
  }

  sendCustom(body: unknown): void {
    this.send(CUSTOM_MESSAGE_PREFIX + JSON.stringify(body));
  }

  /** Waits until `check` holds, re-checking after every message. */
  async until(check: () => boolean, what = "condition", timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Resolves when the server acknowledges everything sent so far as durable. */
  async saved(timeoutMs = 5000): Promise<void> {
    const seq = ++this.seq;
    this.sendCustom({ type: "sync-check", seq });
    await this.until(() => this.closed !== null || this.messages.some((m) => m.type === "saved" && m.seq >= seq), "saved ack", timeoutMs);
    if (!this.messages.some((m) => m.type === "saved" && m.seq >= seq)) throw new Error("closed before the saved ack");
  }

  errors(): string[] {
    return this.messages.flatMap((m) => (m.type === "error" ? [m.code] : []));
  }

  /** What the document says: every paragraph's text, joined. */
  text(): string {
    return allText(this.doc);
  }

  /** Appends one paragraph per string, as Tiptap stores them, in one transaction. */
  write(...paragraphs: string[]): void {
    const fragment = this.doc.getXmlFragment(YDOC_CONTENT_FIELD);
    this.doc.transact(() => {
      for (const text of paragraphs) {
        const p = new Y.XmlElement("paragraph");
        p.insert(0, [new Y.XmlText(text)]);
        fragment.insert(fragment.length, [p]);
      }
    });
  }

  /** The first paragraph's text, to type into (created if the document has none). */
  para(): Y.XmlText {
    return paragraphText(this.doc, 0);
  }

  close(): void {
    try {
      this.ws.close(1000, "bye");
    } catch {
      /* already closed */
    }
  }
}

/** Opens a WebSocket to a document and waits for the welcome (`sync: false` skips
 * the wait; `make` builds a subclass of the peer). */
export async function connect<P extends Peer = Peer>(
  id: string,
  token: string | null,
  opts: { sync?: boolean; make?: (ws: WebSocket) => P; epoch?: number; author?: { key?: string; name?: string } } = {},
): Promise<P> {
  const params = new URLSearchParams();
  if (token !== null) params.set("token", token);
  if (opts.epoch !== undefined) params.set("epoch", String(opts.epoch));
  if (opts.author?.key !== undefined) params.set("authorKey", opts.author.key);
  if (opts.author?.name !== undefined) params.set("name", opts.author.name);
  const q = params.size > 0 ? `?${params}` : "";
  const res = await SELF.fetch(`${ORIGIN}/parties/document/${id}${q}`, { headers: { Upgrade: "websocket" } });
  const ws = res.webSocket;
  if (!ws) throw new Error(`no websocket: HTTP ${res.status}`);
  (ws as WebSocket & { binaryType: string }).binaryType = "arraybuffer";
  ws.accept();
  const peer = opts.make ? opts.make(ws) : (new Peer(ws) as P);
  peer.send(encodeSyncFrame(SyncType.Step1, Y.encodeStateVector(peer.doc)));
  if (opts.sync !== false) {
    await peer.until(() => peer.messages.some((m) => m.type === "welcome") || peer.closed !== null, "welcome");
  }
  return peer;
}

/** Sends `update` and waits for its verdict: "saved", or the code the socket closed with. */
export async function verdict(peer: Peer, update: Uint8Array): Promise<"saved" | number> {
  peer.send(encodeSyncFrame(SyncType.Update, update));
  try {
    await peer.saved();
    return "saved";
  } catch {
    return peer.closed?.code ?? -1;
  }
}
