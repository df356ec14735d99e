/**
 * `npx tsx bench/authorship.ts [--runs=5]` (after `npm run build`; needs Chromium): who-
 * wrote-what on a document of 1 MB of text (issue 25's "the Authors view and Compare
 * open within 1 s; the authorship API answers within 500 ms").
 *
 * Three people (author keys, names) write 500 paragraphs of 2,000 characters between
 * them, each paragraph started by one and added to by the next, so runs alternate. Then:
 *  - GET /authorship, `--runs` times (after one warm-up): time to the whole answer;
 *  - in Chromium, the owner's page: from clicking **Authors** until the last paragraph's
 *    text is coloured, `--runs` times (each a fresh page);
 *  - GET /versions/<a>/compare?to=current between a version made halfway and the end,
 *    and History → Compare in the page, when the build has them.
 * Writes bench/results/authorship/<stamp>-<commit>.json (commit, dirty flag, date,
 * machine, every run); medians are what docs quote.
 */
import { chromium, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { YClient } from "../e2e/support/yclient";
import { createDoc, docUrl, ROOT, startQuire } from "../e2e/support/server";
import { runStamp } from "./lib/result-files";

const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 5);
const PARAGRAPHS = 500;
const PARAGRAPH_CHARS = 2_000;
const PEOPLE = [
  { key: "bench-author-key-ana-01", name: "Ana" },
  { key: "bench-author-key-ben-02", name: "Ben" },
  { key: "bench-author-key-cleo-03", name: "Cleo" },
];

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const words = (n: number, seed: number) => {
  let s = "";
  for (let i = 0; s.length < n; i++) s += `word${(seed * 7919 + i * 104729) % 100000} `;
  return s.slice(0, n);
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const server = await startQuire();
  const doc = await createDoc(server);
  const base = docUrl(server, doc.id, doc.editToken);
  const people = await Promise.all(PEOPLE.map((p) => YClient.open(`${base}&authorKey=${p.key}&name=${encodeURIComponent(p.name)}`)));
  const report = (err: unknown) => {
    const closes = people.map((p) => p.closeEvent);
    const tail = server.log().trimEnd().split("\n").slice(-8).join("\n");
    return new Error(`${String(err)}; closes ${JSON.stringify(closes)}; server log:\n${tail}`);
  };
  // Each paragraph: 3/4 by one person, the last quarter by the next.
  const head = Math.floor((PARAGRAPH_CHARS * 3) / 4);
  let versionAt: string | null = null;
  try {
    for (let i = 0; i < PARAGRAPHS; i++) {
      const a = people[i % people.length]!;
      const b = people[(i + 1) % people.length]!;
      a.ownParagraph().insert(0, words(head, i));
      await a.saved(60_000);
      await b.synced;
      await waitFor(() => b.text().length >= a.text().length);
      const fragment = b.doc.getXmlFragment("default");
      const last = fragment.get(fragment.length - 1) as unknown as {
        get(i: number): { insert(at: number, s: string): void; length: number };
      };
      const text = last.get(0);
      text.insert(text.length, words(PARAGRAPH_CHARS - head, i + 1));
      await b.saved(60_000);
      for (const p of people) await waitFor(() => p.text().length >= b.text().length);
      if (i === PARAGRAPHS / 2) {
        const res = await fetch(`${server.http}/api/docs/${doc.id}/versions`, {
          method: "POST",
          headers: { authorization: `Bearer ${doc.ownerToken}`, "content-type": "application/json" },
          body: JSON.stringify({ name: "halfway" }),
        });
        versionAt = ((await res.json()) as { id: string }).id;
      }
    }
  } catch (err) {
    throw report(err);
  }
  const chars = people[0]!.text().length;
  console.log(`document: ${PARAGRAPHS} paragraphs, ${chars} characters by ${people.length} people`);

  const api = (path: string) =>
    fetch(`${server.http}/api/docs/${doc.id}${path}`, { headers: { authorization: `Bearer ${doc.viewToken}` } }).then(async (r) => {
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      return r.text();
    });
  await api("/authorship");
  const authorshipMs: number[] = [];
  let answerBytes = 0;
  for (let r = 0; r < runs; r++) authorshipMs.push(await timed(async () => (answerBytes = (await api("/authorship")).length)));
  console.log(
    `GET /authorship (ms): ${authorshipMs.map((x) => x.toFixed(0)).join(", ")}; median ${med(authorshipMs).toFixed(0)}; ${answerBytes} B`,
  );

  let compareMs: number[] = [];
  if (versionAt) {
    const probe = await fetch(`${server.http}/api/docs/${doc.id}/versions/${versionAt}/compare?to=current`, {
      headers: { authorization: `Bearer ${doc.viewToken}` },
    });
    if (probe.ok) {
      for (let r = 0; r < runs; r++) compareMs.push(await timed(() => api(`/versions/${versionAt}/compare?to=current`)));
      console.log(
        `GET /versions/<a>/compare?to=current (ms): ${compareMs.map((x) => x.toFixed(0)).join(", ")}; median ${med(compareMs).toFixed(0)}`,
      );
    } else compareMs = [];
  }

  const executablePath = existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const viewMs: number[] = [];
  const compareViewMs: number[] = [];
  const lastWords = people[0]!.text().trim().slice(-30);
  try {
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ serviceWorkers: "block" });
      await context.addInitScript(() => localStorage.setItem("quire:name", "Reader"));
      const page = await context.newPage();
      await page.goto(doc.editUrl.replace(/^https?:\/\/[^/]+/, server.http));
      await page.waitForFunction((t) => document.querySelector(".ProseMirror")?.textContent?.includes(t) ?? false, lastWords, {
        timeout: 120_000,
      });
      viewMs.push(await authorsViewMs(page));
      if (versionAt && compareMs.length > 0) compareViewMs.push(await compareViewTime(page));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(
    `Authors view, click → last paragraph coloured (ms): ${viewMs.map((x) => x.toFixed(0)).join(", ")}; median ${med(viewMs).toFixed(0)}`,
  );

  for (const p of people) await p.close();
  await server.stop();

  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const dirty = execFileSync("git", ["status", "--porcelain", "--", "client", "worker", "shared"], { encoding: "utf8" }).trim() !== "";
  const date = new Date().toISOString();
  const dir = join(ROOT, "bench/results/authorship");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${runStamp(date, commit, dirty)}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        commit,
        dirty,
        date,
        machine: { cpus: cpus().length, memoryBytes: totalmem(), loadAverage: loadavg() },
        document: { paragraphs: PARAGRAPHS, characters: chars, people: people.length },
        authorshipMs,
        authorshipBytes: answerBytes,
        compareMs,
        authorsViewMs: viewMs,
        compareViewMs,
        medians: {
          authorshipMs: med(authorshipMs),
          compareMs: compareMs.length ? med(compareMs) : null,
          authorsViewMs: med(viewMs),
          compareViewMs: compareViewMs.length ? med(compareViewMs) : null,
        },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${file}`);
  process.exit(0);
}

/** Click Authors; time until the document's last paragraph carries an author's colour. */
async function authorsViewMs(page: Page): Promise<number> {
  const button = page.getByRole("button", { name: "Authors" });
  const t0 = await page.evaluate(() => performance.now());
  await button.click();
  await page.waitForFunction(
    () => {
      const ps = document.querySelectorAll(".ProseMirror > p");
      return ps[ps.length - 1]?.querySelector(".author-run") != null;
    },
    undefined,
    { timeout: 60_000, polling: "raf" },
  );
  return (await page.evaluate(() => performance.now())) - t0;
}

/** History → the halfway version → Compare with current; time until the changes show. */
async function compareViewTime(page: Page): Promise<number> {
  await page.getByRole("button", { name: "History" }).click();
  await page
    .getByRole("list", { name: "Versions" })
    .getByRole("button", { name: /halfway/ })
    .click();
  const button = page.getByRole("button", { name: "Compare with current" });
  await button.waitFor();
  const t0 = await page.evaluate(() => performance.now());
  await button.click();
  await page.getByRole("document", { name: "Compared text" }).locator("ins").first().waitFor({ timeout: 60_000 });
  return (await page.evaluate(() => performance.now())) - t0;
}

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
