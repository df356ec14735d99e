/**
 * y-partyserver's provider with the two changes Quire needs, in one place:
 *  - reconnects get random jitter on top of the exponential backoff, so a server
 *    restart is not met by every client at the same millisecond;
 *  - liveness uses "ping"/"pong" text frames, which the Durable Object answers with
 *    setWebSocketAutoResponse without waking, instead of awareness keep-alives (which
 *    would wake the room every few seconds and fan out N² messages). The provider only
 *    counts binary frames as "alive", so pongs refresh its timestamp here;
 *  - it sends only this client's own presence. y-partyserver's provider re-sends every
 *    presence change it sees, other people's included, and the server binds a
 *    connection to one client and refuses presence for any other
 *    (worker/room/awareness.ts), which showed people "Presence refused".
 */
import YProvider from "y-partyserver/provider";
import type * as Y from "yjs";

const PING_INTERVAL_MS = 20_000;

type Options = ConstructorParameters<typeof YProvider>[3];

export class QuireProvider extends YProvider {
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(host: string, room: string, doc: Y.Doc, options: Options) {
    super(host, room, doc, options);
    // No periodic re-broadcast of our own presence and no local expiry of others':
    // the server removes a peer's presence when its socket closes.
    clearInterval((this.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    // Changes that came from the server (origin: this provider) are others' presence:
    // never echoed back.
    const send = this._awarenessUpdateHandler;
    this.awareness.off("change", send);
    this.awareness.on("change", (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === this) return;
      const own = (ids: number[]) => ids.filter((id) => id === doc.clientID);
      const mine = { added: own(changes.added), updated: own(changes.updated), removed: own(changes.removed) };
      if (mine.added.length + mine.updated.length + mine.removed.length > 0) send(mine, origin);
    });
    this.on("status", ({ status }: { status: string }) => {
      if (status === "connected") this.watchPongs();
    });
    this.pingTimer = setInterval(() => {
      if (this.wsconnected && this.ws?.readyState === WebSocket.OPEN) this.ws.send("ping");
    }, PING_INTERVAL_MS);
  }

  private watchPongs(): void {
    this.ws?.addEventListener("message", (ev: MessageEvent) => {
      if (ev.data === "pong") this.wsLastMessageReceived = Date.now();
    });
  }

  override async _reconnectWS(): Promise<void> {
    const backoff = Math.min(2 ** this.wsUnsuccessfulReconnects * 100, this.maxBackoffTime);
    await new Promise((r) => setTimeout(r, Math.random() * backoff));
    return super._reconnectWS();
  }

  override destroy(): void {
    clearInterval(this.pingTimer);
    super.destroy();
  }
}
