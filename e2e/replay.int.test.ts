/**
 * Replays the real `friendsforever` editing trace (two people co-writing a story)
 * through two raw y-websocket clients against the real server, alternating authors
 * chunk by chunk, and checks that everyone (and the stored document) ends identical
 * to the trace's final text.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { YClient } from "./support/yclient";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";
import { applyTxn, loadTrace } from "./support/traces";

let server: QuireServer;
beforeAll(async () => {
  server = await startQuire();
});
afterAll(async () => {
  await server?.stop();
});

const CHUNK_TXNS = 100;

it("two clients replaying friendsforever converge on the trace's final text", async () => {
  const trace = loadTrace("friendsforever_flat");
  const doc = await createDoc(server, "Friends forever");
  const url = docUrl(server, doc.id, doc.editToken);
  const a = await YClient.open(url);
  const b = await YClient.open(url);
  const clients = [a, b];
  const textOf = (c: YClient) => c.paragraph().toString();
  // Create the paragraph once, on one side, and let the other receive it.
  a.paragraph();
  await a.saved();
  await waitFor(() => b.doc.getXmlFragment("default").length === 1);

  for (let i = 0, chunk = 0; i < trace.txns.length; i += CHUNK_TXNS, chunk++) {
    const author = clients[chunk % 2]!;
    const other = clients[(chunk + 1) % 2]!;
    const text = author.paragraph();
    for (const txn of trace.txns.slice(i, i + CHUNK_TXNS)) applyTxn(text as never, txn.patches);
    // The trace's positions assume the other author saw this chunk before writing the next.
    const expected = textOf(author);
    await waitFor(() => textOf(other) === expected);
  }

  expect(textOf(a)).toBe(trace.endContent);
  expect(textOf(b)).toBe(trace.endContent);
  await a.saved();
  await b.saved();

  // The stored document, read back through the export API by a third party.
  const res = await fetch(`${server.http}/api/docs/${doc.id}/export?format=txt`, {
    headers: { authorization: `Bearer ${doc.viewToken}` },
  });
  expect((await res.text()).replace(/\n+$/, "")).toBe(trace.endContent.replace(/\n+$/, ""));
  await a.close();
  await b.close();

  // Tokens travelled in WebSocket URLs and Authorization headers; none may reach a log line.
  const log = server.log();
  expect(log).toContain(doc.id);
  expect(log).not.toContain(doc.editToken);
  expect(log).not.toContain(doc.viewToken);
});

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 2));
  }
}
