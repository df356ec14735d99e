/**
 * Load: 100 clients in one room typing and moving carets for LOAD_SECONDS (60 in CI;
 * `npm run test:soak` runs 10 minutes). Nobody may be disconnected, a probe measures
 * write→read latency, and the server's memory must stay bounded.
 */
import * as Y from "yjs";
import { afterAll, expect, it } from "vitest";
import { YDOC_CONTENT_FIELD } from "../shared/api";
import { YClient } from "./support/yclient";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 100);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const TYPE_EVERY_MS = 1000;
const CARET_EVERY_MS = 2000;
/** Write→read latency p99 the run must stay under. */
const P99_BOUND_MS = 500;

let server: QuireServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

it(
  `${CLIENTS} clients typing for ${SECONDS}s: no disconnects, bounded memory`,
  async () => {
    server = await startQuire();
    const doc = await createDoc(server, "Load");
    const url = docUrl(server, doc.id, doc.editToken);
    const clients: YClient[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      // Typists do not need everyone else's state: only the probe reader applies it.
      clients.push(await YClient.open(url, { applyRemote: false, applyAwareness: false }));
    }
    const reader = await YClient.open(url, { applyAwareness: false });
    const writer = await YClient.open(url, { applyAwareness: false });
    let disconnects = 0;
    for (const c of [...clients, reader, writer]) void c.closed.then(() => disconnects++);

    // Probes: the writer appends "<seq>|" to a paragraph of its own; the reader times each
    // new sequence number from when the writer typed it (same process, same clock).
    const latencies: number[] = [];
    const sentAt = new Map<number, number>();
    const probes = writer.ownParagraph();
    let seenUpTo = -1;
    reader.doc.getXmlFragment(YDOC_CONTENT_FIELD).observeDeep(() => {
      const now = performance.now();
      for (const el of reader.doc.getXmlFragment(YDOC_CONTENT_FIELD).toArray()) {
        const text = el instanceof Y.XmlElement ? ((el.get(0) as Y.XmlText | undefined)?.toString() ?? "") : "";
        if (!text.startsWith("probe:")) continue;
        for (const n of text.slice(6).split("|").filter(Boolean).map(Number)) {
          if (n > seenUpTo && sentAt.has(n)) latencies.push(now - sentAt.get(n)!);
          seenUpTo = Math.max(seenUpTo, n);
        }
      }
    });
    probes.insert(0, "probe:");

    const rssStart = server.rssBytes();
    const timers: ReturnType<typeof setInterval>[] = [];
    clients.forEach((c, i) => {
      const text = c.ownParagraph();
      // Spread the clients over the interval so load is steady, not in waves.
      setTimeout(
        () => {
          timers.push(setInterval(() => text.insert(text.length, "x"), TYPE_EVERY_MS));
          timers.push(
            setInterval(
              () => c.setPresence({ user: { name: `Typist ${i}`, color: "#1971c2" }, cursor: YClient.caretAtEnd(text) }),
              CARET_EVERY_MS,
            ),
          );
        },
        (i * TYPE_EVERY_MS) / CLIENTS,
      );
    });
    let seq = 0;
    timers.push(
      setInterval(() => {
        sentAt.set(seq, performance.now());
        probes.insert(probes.length, `${seq++}|`);
      }, 100),
    );

    const rssSamples: number[] = [];
    const end = Date.now() + SECONDS * 1000;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 5000));
      rssSamples.push(server.rssBytes());
    }
    timers.forEach(clearInterval);
    await writer.saved();
    const rssEnd = server.rssBytes();

    const mb = (b: number) => Math.round(b / 1024 / 1024);
    console.log(
      `load: ${CLIENTS} clients, ${SECONDS}s, ${seq} probes, latency p50 ${pct(latencies, 50).toFixed(1)} ms p99 ${pct(latencies, 99).toFixed(1)} ms, ` +
        `disconnects ${disconnects}, server RSS start ${mb(rssStart)} MB, peak ${mb(Math.max(...rssSamples))} MB, end ${mb(rssEnd)} MB`,
    );
    expect(disconnects).toBe(0);
    expect(latencies.length).toBeGreaterThan(seq * 0.95);
    // Observed p99 70.5 ms in a 60 s run and 34.1 ms in the 10-minute soak (docs/RELIABILITY.md);
    // the bound leaves room for a loaded 2-core CI machine and still catches a room that
    // falls behind its typists (seconds, not milliseconds).
    expect(pct(latencies, 99)).toBeLessThan(P99_BOUND_MS);
    // Bounded: the tree stays far from exhausting a small machine, and it does not keep
    // growing once the room is warm (second half vs first half of the run).
    expect(rssEnd).toBeLessThan(2 * 1024 ** 3);
    const half = Math.floor(rssSamples.length / 2);
    expect(Math.max(...rssSamples.slice(half))).toBeLessThan(Math.max(...rssSamples.slice(0, half)) + 256 * 1024 ** 2);
    // Nothing was lost on the way: the reader ends with every typist's last keystroke.
    const behind = () => clients.filter((c) => Y.getState(reader.doc.store, c.doc.clientID) < Y.getState(c.doc.store, c.doc.clientID));
    for (const deadline = Date.now() + 30_000; behind().length > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
    expect(behind().map((c) => c.doc.clientID)).toEqual([]);
    for (const c of [...clients, reader, writer]) await c.close();
  },
  180_000 + SECONDS * 1000,
); // connecting 102 clients and draining come on top of the run
