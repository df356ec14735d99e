/**
 * `npx tsx bench/handshake.ts <base-url> [count=2000]`: opens `count` WebSockets, each
 * right after an HTTP request on the same keep-alive connection (one-socket agent),
 * the pattern that broke ~10% of handshakes (1006) when serving through Miniflare
 * directly (docs/BENCHMARKS.md, "Measured before the bench"). Prints how many failed;
 * exits 1 if any did.
 */
import { Agent, request } from "node:http";
import WebSocket from "ws";
import { createDocResponseSchema } from "../shared/api";

const base = process.argv[2] ?? "http://127.0.0.1:8787";
const count = Number(process.argv[3] ?? 2000);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** Resolves with the local port of the connection the request went over. */
function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent }, (res) => {
      const port = res.socket.localPort ?? 0;
      res.resume();
      res.on("end", () => resolve(port));
    });
    req.on("error", reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const res = await fetch(`${base}/api/docs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title: "handshake" }),
  });
  const doc = createDocResponseSchema.parse(await res.json());
  const url = `${base.replace(/^http/, "ws")}/parties/document/${doc.id}?token=${doc.editToken}`;
  const failures = new Map<string, number>();
  let reused = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const port = await get("/api/health");
    const outcome = await new Promise<string>((resolve) => {
      // Offers permessage-deflate, as a browser does.
      const ws = new WebSocket(url, { agent, perMessageDeflate: { threshold: 0 } });
      ws.on("upgrade", (r) => {
        if (r.socket.localPort === port) reused++;
      });
      ws.on("open", () => {
        ws.terminate();
        resolve("ok");
      });
      ws.on("unexpected-response", (_req, r) => resolve(`http ${r.statusCode}`));
      ws.on("error", (e) => resolve(`error ${e.message}`));
      ws.on("close", (code) => resolve(`close ${code}`));
    });
    if (outcome !== "ok") failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
  }
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${count} handshakes after a keep-alive request (${reused} on a reused connection) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${failed} failed${failed ? ` (${[...failures].map(([k, v]) => `${k}: ${v}`).join(", ")})` : ""}`,
  );
  process.exit(failed ? 1 : 0);
}

void main();
