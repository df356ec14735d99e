/**
 * An export of a large document must not hold up other documents. Every Durable Object
 * of the Worker shares one isolate (locally, one workerd process); before exports were
 * written in pieces, a 16 MB document's DOCX export held every other document's edits
 * for ~675 ms. Here another document's editors keep typing while a large document is
 * exported in every format, and every edit must reach the other editor within 100 ms.
 * Since MAX_DOCUMENT_BYTES is 1 MiB (issue 22), the document exported is the largest
 * that limit lets a writer build.
 */
import { execFile } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../shared/api";
import { MAX_DOCUMENT_BYTES } from "../shared/limits";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";
import { YClient } from "./support/yclient";

let server: QuireServer;
beforeAll(async () => {
  server = await startQuire();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** The document's text: 16 MB, or what fits under the size limit if that is lower. */
const TARGET_CHARS = Math.min(16 * 1024 * 1024, Math.floor(0.85 * MAX_DOCUMENT_BYTES));
/** Per update: under the frame limit, and small enough to come close to TARGET_CHARS. */
const UPDATE_CHARS = Math.min(800 * 1024, Math.floor(TARGET_CHARS / 8));
const PARAGRAPH = "The quick brown fox jumps over the lazy dog, and then some more words follow here. ".repeat(12);

/** GET with a bearer token in a child Node process: the status and the body's size. */
function download(url: string, token: string): Promise<{ status: number; bytes: number }> {
  const script =
    "fetch(process.env.URL,{headers:{authorization:'Bearer '+process.env.TOKEN}}).then(async(r)=>{let n=0;for await(const c of r.body)n+=c.byteLength;console.log(JSON.stringify({status:r.status,bytes:n}))})";
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", script], { env: { ...process.env, URL: url, TOKEN: token } }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as { status: number; bytes: number });
    });
  });
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

it("another document's edits round-trip in under 100 ms while the largest document allowed is exported", async () => {
  const big = await createDoc(server, "Big");
  const author = await YClient.open(docUrl(server, big.id, big.editToken));
  let chars = 0;
  let block = 0;
  while (chars < TARGET_CHARS) {
    // UPDATE_CHARS per update, under the frame limit.
    author.doc.transact(() => {
      const items: Y.XmlElement[] = [];
      for (let size = 0; size < UPDATE_CHARS && chars < TARGET_CHARS; size += PARAGRAPH.length) {
        block += 1;
        const el = new Y.XmlElement(block % 12 === 0 ? "heading" : "paragraph");
        if (block % 12 === 0) el.setAttribute("level", 2 as unknown as string);
        el.insert(0, [new Y.XmlText(block % 12 === 0 ? `Section ${block}` : `${block} ${PARAGRAPH}`)]);
        items.push(el);
        chars += PARAGRAPH.length;
      }
      author.doc.getXmlFragment(YDOC_CONTENT_FIELD).push(items);
    });
    await author.saved(60_000);
  }
  author.ws.close();

  const other = await createDoc(server);
  const url = docUrl(server, other.id, other.editToken);
  const writer = await YClient.open(url);
  const reader = await YClient.open(url);
  let waiting: (() => void) | null = null;
  reader.onRemoteUpdate = () => waiting?.();
  const probe = async (): Promise<number> => {
    const arrived = new Promise<void>((resolve) => (waiting = resolve));
    const sentAt = performance.now();
    writer.doc.getXmlFragment(YDOC_CONTENT_FIELD).insert(0, [new Y.XmlElement("paragraph")]);
    await arrived;
    waiting = null;
    return performance.now() - sentAt;
  };
  for (let i = 0; i < 20; i++) await probe();
  const idle: number[] = [];
  for (let i = 0; i < 20; i++) idle.push(await probe());

  const rows: string[] = [];
  const during: number[] = [];
  for (const format of ["docx", "md", "html", "txt", "json"]) {
    let done = false;
    const started = performance.now();
    // Downloaded by another process, so reading 16 MB does not delay this one's probes.
    const exporting = download(`${server.http}/api/docs/${big.id}/export?format=${format}`, big.viewToken).then((got) => {
      done = true;
      expect(got.status).toBe(200);
      return { ms: performance.now() - started, bytes: got.bytes };
    });
    const mine: number[] = [];
    while (!done) {
      mine.push(await probe());
      await new Promise((r) => setTimeout(r, 10));
    }
    const { ms, bytes } = await exporting;
    during.push(...mine);
    rows.push(
      `${format.padEnd(5)} ${(bytes / 1024 / 1024).toFixed(1).padStart(5)} MB in ${ms.toFixed(0).padStart(5)} ms; ${mine.length} edits meanwhile, max ${Math.max(...mine).toFixed(1)} ms`,
    );
  }
  console.log(
    `Edit round trip on another document while a ${(chars / 1024 / 1024).toFixed(1)} MB document (${block} blocks) is exported:\n  idle p50 ${percentile(idle, 50).toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms\n  ${rows.join("\n  ")}\n  during exports p50 ${percentile(during, 50).toFixed(1)} ms, p99 ${percentile(during, 99).toFixed(1)} ms, max ${Math.max(...during).toFixed(1)} ms`,
  );
  expect(during.length).toBeGreaterThan(5);
  expect(Math.max(...during)).toBeLessThan(100);
  writer.ws.close();
  reader.ws.close();
}, 600_000);
