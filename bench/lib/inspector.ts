/**
 * A Chrome DevTools Protocol client for the Quire Worker's isolate, through workerd's
 * inspector (`startQuire({ env: { QUIRE_INSPECTOR_PORT } })`): CPU profiles
 * (bench/profile-do.ts) and heap readings (bench/doc-memory.ts).
 */
import WebSocket from "ws";

export class Inspector {
  private next = 1;
  private waiting = new Map<number, (r: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (msg.id !== undefined) this.waiting.get(msg.id)?.(msg.result);
    });
  }
  static async open(port: number): Promise<Inspector> {
    const list = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { id?: string; webSocketDebuggerUrl: string }[];
    // wrangler dev listed only the user worker; Miniflare (npm start) lists every worker
    // of the process ("core:user:edge", "core:user:quire", ...): take Quire's.
    const target = list.find((t) => t.id?.startsWith("core:user:") && t.id !== "core:user:edge") ?? list[0]!;
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((r, j) => ws.once("open", r).once("error", j));
    return new Inspector(ws);
  }
  call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((r) => this.waiting.set(id, r as (x: unknown) => void));
  }
  close(): void {
    this.ws.close();
  }
}
