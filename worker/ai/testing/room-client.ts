/**
 * A minimal y-websocket client for workerd tests of AI assist: joins a document
 * through the Worker (SELF), keeps a local Y.Doc, and collects Quire's JSON messages.
 */
import { SELF } from "cloudflare:test";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { AiOptions, AiServerMessage, RelativePositionJSON } from "../../../shared/ai";
import { YDOC_CONTENT_FIELD } from "../../../shared/api";
import { MessageType, SyncType, encodeSyncFrame } from "../../../shared/frames";
import { CUSTOM_MESSAGE_PREFIX, parseServerMessage, type ServerMessage } from "../../../shared/protocol";

export const ORIGIN = "http://quire.test";
const REMOTE = Symbol("remote");

export async function createDoc(): Promise<{ id: string; editToken: string; viewToken: string }> {
  const res = await SELF.fetch(`${ORIGIN}/api/docs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
  return (await res.json()) as { id: string; editToken: string; viewToken: string };
}

export class RoomClient {
  readonly doc = new Y.Doc();
  readonly messages: ServerMessage[] = [];
  /** Stop applying the server's updates (a client whose view is stale). */
  frozen = false;
  private syncedResolve!: () => void;
  readonly synced = new Promise<void>((r) => (this.syncedResolve = r));
  private seq = 0;

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (e: MessageEvent) => {
      if (typeof e.data === "string") {
        if (!e.data.startsWith(CUSTOM_MESSAGE_PREFIX)) return;
        const msg = parseServerMessage(e.data.slice(CUSTOM_MESSAGE_PREFIX.length));
        if (msg) this.messages.push(msg);
        return;
      }
      this.onBinary(new Uint8Array(e.data as ArrayBuffer));
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) ws.send(encodeSyncFrame(SyncType.Update, update));
    });
  }

  static async connect(id: string, token: string): Promise<RoomClient> {
    const res = await SELF.fetch(`${ORIGIN}/parties/document/${id}?token=${token}`, { headers: { upgrade: "websocket" } });
    const ws = res.webSocket;
    if (!ws) throw new Error(`no websocket: ${res.status}`);
    ws.binaryType = "arraybuffer";
    ws.accept();
    const c = new RoomClient(ws);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MessageType.Sync);
    syncProtocol.writeSyncStep1(enc, c.doc);
    ws.send(encoding.toUint8Array(enc));
    await c.synced;
    return c;
  }

  private onBinary(bytes: Uint8Array): void {
    const d = decoding.createDecoder(bytes);
    if (decoding.readVarUint(d) !== MessageType.Sync) return;
    const sub = decoding.readVarUint(d);
    const data = decoding.readVarUint8Array(d);
    if (sub === SyncType.Step1) {
      this.ws.send(encodeSyncFrame(SyncType.Step2, Y.encodeStateAsUpdate(this.doc, data)));
      return;
    }
    if (!this.frozen) Y.applyUpdate(this.doc, data, REMOTE);
    if (sub === SyncType.Step2) this.syncedResolve();
  }

  send(msg: unknown): void {
    this.ws.send(CUSTOM_MESSAGE_PREFIX + JSON.stringify(msg));
  }

  /** One paragraph per string, as Tiptap stores them. */
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

  paragraphText(i = 0): Y.XmlText {
    return (this.doc.getXmlFragment(YDOC_CONTENT_FIELD).get(i) as Y.XmlElement).get(0) as Y.XmlText;
  }

  /** Relative positions of a range inside paragraph `i` (character offsets). */
  range(from: number, to: number, i = 0): { from: RelativePositionJSON; to: RelativePositionJSON } {
    const text = this.paragraphText(i);
    const rel = (index: number, assoc: number) =>
      Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index, assoc)) as RelativePositionJSON;
    return { from: rel(from, 0), to: rel(to, -1) };
  }

  /** The whole of paragraph `i`. */
  all(i = 0): { from: RelativePositionJSON; to: RelativePositionJSON } {
    return this.range(0, this.paragraphText(i).length, i);
  }

  request(
    requestId: string,
    command: string,
    range: { from: RelativePositionJSON; to: RelativePositionJSON },
    options: AiOptions = {},
  ): void {
    this.send({ type: "ai-request", requestId, command, options, range });
  }

  ai(requestId: string): AiServerMessage[] {
    return this.messages.filter((m): m is AiServerMessage => m.type.startsWith("ai-") && (m as AiServerMessage).requestId === requestId);
  }

  answer(requestId: string): string {
    return this.ai(requestId)
      .map((m) => (m.type === "ai-delta" ? m.text : ""))
      .join("");
  }

  /** Resolves with the request's final message (ai-done or ai-error). */
  async settled(requestId: string, ms = 10_000): Promise<AiServerMessage> {
    await until(() => this.ai(requestId).some((m) => m.type !== "ai-delta"), `request ${requestId} settled`, ms);
    return this.ai(requestId).find((m) => m.type !== "ai-delta")!;
  }

  async saved(): Promise<void> {
    const seq = ++this.seq;
    this.send({ type: "sync-check", seq });
    await until(() => this.messages.some((m) => m.type === "saved" && m.seq >= seq), "saved");
  }

  close(): void {
    this.ws.close();
  }
}

export async function until(ok: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
