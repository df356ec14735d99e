/**
 * `npx tsx bench/ttfc.ts [--runs=3]` (after `npm run build`; needs Chromium): time to
 * first content of a cold open in a real browser. The automerge-paper trace is replayed
 * into a document, the server is restarted (a cold Durable Object), and Chromium opens
 * the document's edit link; timed from navigation until the editor shows the document's
 * last characters, with the bytes the page received (HTTP bodies as sent, WebSocket
 * frame payloads) until then. One cold restart per run. `--json=<file>` also writes the
 * runs as JSON (bench/run.ts keeps them in its result file).
 *
 * Then, on the same server, the page's own cost: time from opening a small document's
 * edit link in a fresh browser context until the editor is editable with the text
 * (issue 23's "edit link → editable ≤ 1 s on a quiet machine"), `--runs` times.
 */
import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { YClient } from "../e2e/support/yclient";
import { createDoc, docUrl, ROOT, startQuire } from "../e2e/support/server";
import { encodeSyncFrame, SyncType } from "../shared/frames";
import { loadTrace, replayTrace } from "./lib/trace";

const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 3);
const jsonOut = process.argv.find((a) => a.startsWith("--json="))?.slice("--json=".length);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const trace = replayTrace(loadTrace(ROOT, "automerge-paper"), 200);
  let server = await startQuire();
  const doc = await createDoc(server);
  const writer = await YClient.open(docUrl(server, doc.id, doc.editToken));
  for (const u of trace.updates) writer.sendRaw(encodeSyncFrame(SyncType.Update, u));
  await writer.saved(60_000);
  writer.ws.close();
  await sleep(3000);
  const { port, stateDir } = server;
  await server.stop();
  const tail = trace.text.slice(-40).trim().split("\n").at(-1) ?? "";
  const executablePath = existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const results: { ms: number; wsBytes: number; httpBytes: number }[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      await sleep(1000);
      server = await startQuire({ port, stateDir });
      const context = await browser.newContext({ serviceWorkers: "block" });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      let httpBytes = 0;
      let wsBytes = 0;
      cdp.on("Network.loadingFinished", (e) => (httpBytes += e.encodedDataLength));
      cdp.on("Network.webSocketFrameReceived", (e) => {
        const p = e.response.payloadData;
        wsBytes += e.response.opcode === 2 ? Math.floor((p.length * 3) / 4) : p.length;
      });
      const url = doc.editUrl.replace(/^https?:\/\/[^/]+/, server.http);
      const t0 = performance.now();
      await page.goto(url);
      await page.waitForFunction((t) => document.querySelector(".ProseMirror")?.textContent?.includes(t) ?? false, tail, {
        timeout: 60_000,
        polling: 10,
      });
      const ms = performance.now() - t0;
      results.push({ ms, wsBytes, httpBytes });
      console.log(`run ${run}: ${ms.toFixed(0)} ms to first content; received ${wsBytes} B over the socket, ${httpBytes} B over HTTP`);
      await context.close();
      await server.stop();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const editable = await timeToEditable(runs, executablePath, port, stateDir);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `edit link → editable, small document (ms): ${editable.map((x) => x.toFixed(0)).join(", ")}; median ${med(editable).toFixed(0)}`,
  );
  console.log(
    `median of ${runs}: ${med(results.map((r) => r.ms)).toFixed(0)} ms; socket ${med(results.map((r) => r.wsBytes))} B, HTTP ${med(results.map((r) => r.httpBytes))} B`,
  );
  if (jsonOut) {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).trim() !== "";
    const machine = { cpus: cpus().length, loadAverage: loadavg() };
    writeFileSync(jsonOut, JSON.stringify({ commit, dirty, date: new Date().toISOString(), machine, runs: results, editableMs: editable }));
  }
  process.exit(0);
}

/** Edit link → editable editor showing its text, each in a fresh browser context (no
 * cache, no service worker), the document's room already awake: the page's own cost. */
async function timeToEditable(runs: number, executablePath: string | undefined, port: number, stateDir: string): Promise<number[]> {
  const server = await startQuire({ port, stateDir });
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const out: number[] = [];
  try {
    // Made through the API (bench/ has its own copy of yjs, which must not build content
    // for the tests' client).
    const text = "Some text to load.";
    const res = await fetch(`${server.http}/api/docs`, { method: "POST", body: JSON.stringify({ markdown: text }) });
    if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
    const doc = (await res.json()) as { editUrl: string };
    const url = doc.editUrl.replace(/^https?:\/\/[^/]+/, server.http);
    // One warm-up visit: the room and workerd's module cache, as a user's second visitor finds them.
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ serviceWorkers: "block" });
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(url);
      await page.waitForFunction(
        (t) => {
          const el = document.querySelector(".ProseMirror");
          return el?.getAttribute("contenteditable") === "true" && (el.textContent ?? "").includes(t);
        },
        text,
        { timeout: 60_000, polling: 10 },
      );
      if (run > 0) out.push(performance.now() - t0);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return out;
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
