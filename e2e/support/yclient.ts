/**
 * A raw y-websocket client for tests and benchmarks: no editor, no provider, just a
 * Y.Doc on a `ws` socket speaking the standard protocol (sync = 0, awareness = 1),
 * plus Quire's "sync-check"/"saved" and "read-check"/"read-ack" custom messages when
 * talking to Quire.
 * The same class drives Quire, Hocuspocus and y-websocket-server in the bench.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { MessageType, encodeAwarenessFrame, encodeSyncFrame, SyncType } from "../../shared/frames";
import { CUSTOM_MESSAGE_PREFIX, parseServerMessage, type ServerMessage } from "../../shared/protocol";

export interface ClientOptions {
  /** Hocuspocus prefixes every frame with the document name; others do not. With a
   * name set, the client opens the document the way Hocuspocus's own provider does:
   * an Auth message first (the server queues everything else until it has one). */
  hocuspocusName?: string;
  /** Hocuspocus only: the token sent in that Auth message (default ""). */
  hocuspocusToken?: string;
  /** Apply updates from the server to the local doc (readers); writers may skip it. */
  applyRemote?: boolean;
  /** Apply others' presence to the local awareness (load tests with many clients skip it). */
  applyAwareness?: boolean;
  /** Quire only: echo read-checks (default true); false plays a reader that lags forever. */
  answerReadChecks?: boolean;
  /** Offer permessage-deflate as browsers do, and compress every frame sent (Chromium
   * compresses small frames too, so no size threshold). Default false: the tests' path. */
  deflate?: boolean;
}

const REMOTE = Symbol("remote");
/** Hocuspocus message types beyond y-websocket's: Auth carries a token (sub-type 0),
 * SyncReply is a sync message that must not trigger another SyncStep1. */
const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_AUTH_TOKEN = 0;
const HOCUSPOCUS_SYNC_REPLY = 4;

export class YClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly ws: WebSocket;
  readonly serverMessages: ServerMessage[] = [];
  closeEvent: { code: number; reason: string } | null = null;
  private syncedResolve!: () => void;
  readonly synced: Promise<void>;
  private savedWaiters = new Map<number, () => void>();
  private checkSeq = 0;
  /** Called with every remote update as it is applied (for latency probes). */
  onRemoteUpdate: ((update: Uint8Array) => void) | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(
    url: string,
    private readonly opts: ClientOptions = {},
  ) {
    this.synced = new Promise((r) => (this.syncedResolve = r));
    // Without `deflate`, no permessage-deflate (the tests' default). With it, the same
    // offer a browser makes (client_max_window_bits), compressing frames of any size.
    this.ws = new WebSocket(url, { perMessageDeflate: opts.deflate ? { threshold: 0 } : false });
    this.ws.binaryType = "arraybuffer";
    clearInterval((this.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    this.closed = new Promise((resolve) => {
      this.ws.on("close", (code, reason) => {
        this.closeEvent = { code, reason: reason.toString() };
        resolve(this.closeEvent);
      });
    });
    this.ws.on("error", () => {
      /* surfaced through `closed` */
    });
    this.ws.on("open", () => {
      if (this.opts.hocuspocusName !== undefined) {
        const auth = encoding.createEncoder();
        encoding.writeVarUint(auth, HOCUSPOCUS_AUTH);
        encoding.writeVarUint(auth, HOCUSPOCUS_AUTH_TOKEN);
        encoding.writeVarString(auth, this.opts.hocuspocusToken ?? "");
        this.sendRaw(encoding.toUint8Array(auth));
      }
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MessageType.Sync);
      syncProtocol.writeSyncStep1(enc, this.doc);
      this.sendRaw(encoding.toUint8Array(enc));
    });
    this.ws.on("message", (data, isBinary) => {
      if (!isBinary) {
        const text = data.toString();
        if (!text.startsWith(CUSTOM_MESSAGE_PREFIX)) return;
        const msg = parseServerMessage(text.slice(CUSTOM_MESSAGE_PREFIX.length));
        if (!msg) return;
        if (msg.type === "read-check") {
          // Quire's flow control: readers that never echo are dropped (4408).
          if (this.opts.answerReadChecks !== false)
            this.sendText(`${CUSTOM_MESSAGE_PREFIX}${JSON.stringify({ type: "read-ack", id: msg.id })}`);
          return;
        }
        this.serverMessages.push(msg);
        if (msg.type === "saved") {
          for (const [seq, resolve] of this.savedWaiters) {
            if (seq <= msg.seq) {
              this.savedWaiters.delete(seq);
              resolve();
            }
          }
        }
        return;
      }
      this.onBinary(new Uint8Array(data as ArrayBuffer));
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      this.sendRaw(encodeSyncFrame(SyncType.Update, update));
    });
  }

  static async open(url: string, opts: ClientOptions = {}): Promise<YClient> {
    const c = new YClient(url, opts);
    await Promise.race([
      c.synced,
      c.closed.then((e) => {
        throw new Error(`closed before sync: ${e.code} ${e.reason}`);
      }),
    ]);
    return c;
  }

  private onBinary(bytes: Uint8Array): void {
    let payload = bytes;
    if (this.opts.hocuspocusName !== undefined) {
      const d = decoding.createDecoder(bytes);
      decoding.readVarString(d);
      payload = decoding.readTailAsUint8Array(d);
    }
    const decoder = decoding.createDecoder(payload);
    const type = decoding.readVarUint(decoder);
    const isSync = type === MessageType.Sync || (this.opts.hocuspocusName !== undefined && type === HOCUSPOCUS_SYNC_REPLY);
    if (isSync) {
      const sub = decoding.readVarUint(decoder);
      const data = decoding.readVarUint8Array(decoder);
      if (sub === SyncType.Step1) {
        this.sendRaw(encodeSyncFrame(SyncType.Step2, Y.encodeStateAsUpdate(this.doc, data)));
      } else {
        if (this.opts.applyRemote !== false) Y.applyUpdate(this.doc, data, REMOTE);
        if (sub === SyncType.Step2) this.syncedResolve();
        else this.onRemoteUpdate?.(data);
      }
    } else if (type === MessageType.Awareness && this.opts.applyAwareness !== false) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), REMOTE);
    }
  }

  /** Sends bytes as they are (prefixed with the document name for Hocuspocus). */
  sendRaw(frame: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.opts.hocuspocusName !== undefined) {
      const enc = encoding.createEncoder();
      encoding.writeVarString(enc, this.opts.hocuspocusName);
      encoding.writeUint8Array(enc, frame);
      this.ws.send(encoding.toUint8Array(enc));
    } else {
      this.ws.send(frame);
    }
  }

  sendText(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  setPresence(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    this.sendRaw(encodeAwarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID])));
  }

  /** Quire only: resolves once the server says everything sent so far is durable. */
  saved(timeoutMs = 10_000): Promise<void> {
    const seq = ++this.checkSeq;
    const p = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("no saved ack")), timeoutMs);
      this.savedWaiters.set(seq, () => {
        clearTimeout(t);
        resolve();
      });
      // A dead socket will never answer: fail at once rather than at the timeout.
      void this.closed.then(() => {
        clearTimeout(t);
        reject(new Error("connection closed before the saved ack"));
      });
    });
    this.sendText(`${CUSTOM_MESSAGE_PREFIX}${JSON.stringify({ type: "sync-check", seq })}`);
    return p;
  }

  /** The extension the server accepted ("" when none, e.g. "permessage-deflate"). */
  get negotiated(): string {
    return this.ws.extensions;
  }

  /** The text of the first paragraph, where `typeText` writes (a Tiptap-compatible shape). */
  paragraph(): Y.XmlText {
    const fragment = this.doc.getXmlFragment(YDOC_CONTENT_FIELD);
    let p = fragment.get(0) as Y.XmlElement | undefined;
    if (!p) {
      p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText()]);
      fragment.insert(0, [p]);
    }
    return p.get(0) as Y.XmlText;
  }

  /** A paragraph of this client's own, appended to the document, to type into (load
   * tests and the bench's typists; built here so the Yjs types come from the same copy
   * of yjs as the document, whoever calls it). */
  ownParagraph(): Y.XmlText {
    const p = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    p.insert(0, [text]);
    const fragment = this.doc.getXmlFragment(YDOC_CONTENT_FIELD);
    fragment.insert(fragment.length, [p]);
    return text;
  }

  /** A caret at the end of `text`, as y-prosemirror's cursor plugin publishes it:
   * anchor = head, Yjs relative positions (assoc -1, as absolutePositionToRelativePosition). */
  static caretAtEnd(text: Y.XmlText): { anchor: Y.RelativePosition; head: Y.RelativePosition } {
    const pos = Y.createRelativePositionFromTypeIndex(text, text.length, -1);
    return { anchor: pos, head: pos };
  }

  text(): string {
    return this.doc
      .getXmlFragment(YDOC_CONTENT_FIELD)
      .toArray()
      .map((n) => (n instanceof Y.XmlElement ? ((n.get(0) as Y.XmlText | undefined)?.toString() ?? "") : ""))
      .join("\n");
  }

  close(): Promise<{ code: number; reason: string }> {
    // An explicit 1000: a close frame without a code reaches workerd as 1005, which it
    // cannot echo back, and the client would then wait for its close timeout.
    this.ws.close();
    return this.closed;
  }
}
