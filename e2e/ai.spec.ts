/**
 * AI assist end to end: two browsers on one document, the real Worker and Durable
 * Object (wrangler dev), the real AI SDK + @ai-sdk/openai, and the local SSE stub in
 * place of a model. Also measures what the issue asks for: click → first streamed
 * character, characters per second rendered, and document updates per accepted answer.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { withAiStub } from "./support/ai-server";
import { openAs } from "./support/pages";
import type { OpenAIStub } from "./support/openai-stub";
import { createDoc, startQuire, type QuireServer } from "./support/server";

let stub: OpenAIStub;
let server: QuireServer;
withAiStub((s, q) => {
  stub = s;
  server = q;
});

const ORIGINAL = "Quire lets a team write together and nobody gets locked out.";

const person = (browser: Browser, name: string, url: string): Promise<Page> => openAs(browser, name, url);

const editorOf = (p: Page) => p.locator(".ProseMirror");
const panel = (p: Page) => p.getByTestId("ai-panel");

async function writeAndSelectFirstParagraph(a: Page, b: Page, text: string, more = "A second paragraph.") {
  await editorOf(a).click();
  await a.keyboard.type(text);
  await a.keyboard.press("Enter");
  await a.keyboard.type(more);
  await expect(editorOf(b)).toContainText(more);
  await selectFirstParagraph(a, text);
}

/** Triple-clicks the first paragraph until the selection is `text`: on a loaded machine
 * a triple click sometimes lands as a double click (the browser's timing, not Quire's). */
async function selectFirstParagraph(a: Page, text: string) {
  await expect(async () => {
    await a.locator(".ProseMirror p").first().click({ clickCount: 3 });
    expect(await a.evaluate(() => window.getSelection()?.toString())).toBe(text);
  }).toPass({ timeout: 15_000 });
}

/** Records, inside the page, when a menu item is clicked and how the preview grows. */
async function startProbe(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __probe: { clickAt: number; samples: [number, number][]; stop: boolean } };
    w.__probe = { clickAt: 0, samples: [], stop: false };
    document.addEventListener(
      "click",
      (e) => {
        if ((e.target as HTMLElement).closest('[role="menuitem"]')) w.__probe.clickAt = performance.now();
      },
      true,
    );
    const tick = () => {
      const n = document.querySelector('[data-testid="ai-preview"]')?.textContent?.length ?? 0;
      const s = w.__probe.samples;
      if (n > 0 && (s.length === 0 || s[s.length - 1]![1] !== n)) s.push([performance.now(), n]);
      if (!w.__probe.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function readProbe(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as { __probe: { clickAt: number; samples: [number, number][]; stop: boolean } };
    w.__probe.stop = true;
    const s = w.__probe.samples;
    const first = s[0]!;
    const last = s[s.length - 1]!;
    return {
      clickToFirstCharMs: first[0] - w.__probe.clickAt,
      chars: last[1],
      charsPerSecond: ((last[1] - first[1]) / (last[0] - first[0])) * 1000,
    };
  });
}

test("A rewrites with a live preview, B sees the badge then the accepted text, undo restores", async ({ browser }) => {
  const answer = "Quire lets a whole team **write together**, and nobody is ever locked out. ".repeat(16).trim();
  stub.configure({ text: answer, chunkChars: 6, chunkDelayMs: 10 }); // ~600 chars/s upstream
  const doc = await createDoc(server);
  const a = await person(browser, "Ana", doc.editUrl);
  const b = await person(browser, "Ben", doc.editUrl);
  await writeAndSelectFirstParagraph(a, b, ORIGINAL);

  // The first answer after the server starts pays for loading the AI SDK path and
  // opening the upstream connection: measured and reported, then discarded. Two more
  // warm answers are timed too, so one hiccup of a busy machine does not decide.
  const runAndDiscard = async (command: string) => {
    await startProbe(a);
    await a.keyboard.press("Control+j");
    await a.getByRole("menuitem", { name: command }).click();
    await expect(panel(a)).toHaveAttribute("data-phase", "done", { timeout: 15_000 });
    const measured = await readProbe(a);
    await a.getByRole("button", { name: "Discard" }).click();
    await expect(panel(a)).toHaveCount(0);
    // Discard keeps the selection; a click inside a selection starts a drag, not a
    // new selection, so collapse it first (as a person would by clicking elsewhere).
    await a.keyboard.press("ArrowRight");
    await selectFirstParagraph(a, ORIGINAL);
    return measured;
  };
  const cold = await runAndDiscard("Fix spelling & grammar");
  const warmups = [await runAndDiscard("Make shorter"), await runAndDiscard("Summarize")];

  await startProbe(a);
  await a.keyboard.press("Control+j");
  await a.getByRole("menuitem", { name: "Rewrite" }).click();

  // While it streams: A sees the preview and Stop; B sees only a badge, no text.
  await expect(panel(a)).toHaveAttribute("data-phase", "streaming");
  await expect(a.getByRole("button", { name: "■ Stop" })).toBeVisible();
  await expect(a.getByText("AI is writing…")).toBeVisible();
  await expect(b.getByTestId("ai-badge")).toHaveText(/Ana is using AI here/);
  await expect(editorOf(b)).not.toContainText("whole team");

  await expect(panel(a)).toHaveAttribute("data-phase", "done", { timeout: 15_000 });
  const probe = await readProbe(a);
  const sentToFirstDeltaMs = await panel(a).getAttribute("data-first-char-ms");
  await expect(a.getByTestId("ai-preview")).toContainText("nobody is ever locked out");
  await expect(a.getByTestId("ai-preview").locator("strong").first()).toHaveText("write together");

  // The prompt was built on the server from the document's text.
  const req = stub.requests.at(-1)!;
  expect(req.messages.at(-1)!.content).toContain(ORIGINAL);

  await a.getByRole("button", { name: "Replace selection" }).click();
  await expect(panel(a)).toHaveCount(0);
  const updates = await a.evaluate(() => document.body.dataset.aiAcceptUpdates);
  expect(updates).toBe("1");
  await expect(editorOf(b)).toContainText("nobody is ever locked out");
  await expect(editorOf(b)).not.toContainText(ORIGINAL);
  await expect(b.getByTestId("ai-badge")).toHaveCount(0);
  await expect(editorOf(b).locator("strong").first()).toHaveText("write together");

  // One undo step in A brings the original back, for everyone.
  await editorOf(a).focus();
  await a.keyboard.press("Control+z");
  await expect(editorOf(a)).toContainText(ORIGINAL);
  await expect(editorOf(a)).not.toContainText("nobody is ever locked out");
  await expect(editorOf(b)).toContainText(ORIGINAL);
  await expect(editorOf(b)).toContainText("A second paragraph.");

  const warm = [...warmups, probe].map((p) => p.clickToFirstCharMs).sort((x, y) => x - y);
  const median = warm[1]!;
  console.log(
    `AI metrics: click→first char ${median.toFixed(0)} ms warm median (${warm.map((w) => w.toFixed(0)).join("/")}) ` +
      `(${cold.clickToFirstCharMs.toFixed(0)} ms for the first answer after server start; request sent→first delta ${sentToFirstDeltaMs} ms; stub delay 0), ` +
      `${probe.charsPerSecond.toFixed(0)} chars/s rendered over ${probe.chars} chars, ${updates} doc update per accepted answer`,
  );
  test.info().annotations.push({ type: "metrics", description: JSON.stringify({ warm, probe, cold, updates }) });
  expect(median).toBeLessThan(150);
  expect(probe.charsPerSecond).toBeGreaterThan(200);
  await a.context().close();
  await b.context().close();
});

test("B edits the range mid-stream: A is offered Replace anyway / Insert below / Discard", async ({ browser }) => {
  stub.configure({ text: "The AI version of this sentence. ".repeat(10).trim(), chunkChars: 4, chunkDelayMs: 25 });
  const doc = await createDoc(server);
  const a = await person(browser, "Ana", doc.editUrl);
  const b = await person(browser, "Ben", doc.editUrl);
  await writeAndSelectFirstParagraph(a, b, ORIGINAL);
  await a.keyboard.press("Control+j");
  await a.getByRole("menuitem", { name: "Make shorter" }).click();
  await expect(panel(a)).toHaveAttribute("data-phase", "streaming");

  // Ben is not locked out: he types into the very sentence being rewritten.
  await b.locator(".ProseMirror p").first().click();
  await b.keyboard.press("Home");
  for (let i = 0; i < 6; i++) await b.keyboard.press("ArrowRight");
  await b.keyboard.type("BEN-WAS-HERE ");
  await expect(editorOf(a)).toContainText("BEN-WAS-HERE");

  await expect(panel(a)).toHaveAttribute("data-phase", "done", { timeout: 15_000 });
  await expect(a.getByTestId("ai-conflict")).toBeVisible();
  await expect(a.getByRole("button", { name: "Replace anyway" })).toBeVisible();
  await expect(a.getByRole("button", { name: "Discard" })).toBeVisible();
  await a.getByRole("button", { name: "Insert below" }).click();

  // Ben's edit survives; the answer lands below it.
  for (const p of [a, b]) {
    await expect(editorOf(p)).toContainText("BEN-WAS-HERE");
    await expect(editorOf(p)).toContainText("The AI version of this sentence.");
  }
  const paragraphs = await editorOf(b).locator("p").allTextContents();
  expect(paragraphs[0]).toContain("BEN-WAS-HERE");
  expect(paragraphs[1]).toContain("The AI version of this sentence.");
  await a.context().close();
  await b.context().close();
});

test("Stop ends the stream and the upstream call; errors are explained", async ({ browser }) => {
  stub.configure({ text: "slow ".repeat(600), chunkChars: 5, chunkDelayMs: 20 });
  const doc = await createDoc(server);
  const a = await person(browser, "Ana", doc.editUrl);
  const b = await person(browser, "Ben", doc.editUrl);
  await writeAndSelectFirstParagraph(a, b, ORIGINAL);
  await a.keyboard.press("Control+j");
  await a.getByRole("menuitem", { name: "Make longer" }).click();
  await expect(panel(a)).toHaveAttribute("data-phase", "streaming");
  await a.getByRole("button", { name: "■ Stop" }).click();
  await expect(a.getByText("Stopped")).toBeVisible();
  await expect.poll(() => stub.requests.at(-1)?.aborted).toBe(true);
  await a.getByRole("button", { name: "Discard" }).click();
  await expect(panel(a)).toHaveCount(0);
  await expect(b.getByTestId("ai-badge")).toHaveCount(0);

  // A provider 429 shows "try again in N s" with Retry held back.
  stub.configure({ status: 429, retryAfter: 9 });
  await a.keyboard.press("ArrowRight");
  await a.locator(".ProseMirror p").first().click({ clickCount: 3 });
  await expect.poll(() => a.evaluate(() => window.getSelection()?.toString())).toBe(ORIGINAL);
  await a.keyboard.press("Control+j");
  await a.getByRole("menuitem", { name: "Rewrite" }).click();
  await expect(a.getByTestId("ai-error")).toHaveAttribute("data-code", "rate-limited");
  await expect(a.getByTestId("ai-error")).toContainText(/try again in \d s/);
  await expect(a.getByRole("button", { name: /Retry in \d s/ })).toBeDisabled();
  await a.context().close();
  await b.context().close();
});

test("model output is untrusted: HTML and script links stay inert, in the preview and after accepting", async ({ browser }) => {
  stub.configure({
    text: 'Safe **bold**. <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> [click](javascript:window.__pwned=3) <a href="javascript:window.__pwned=4">a</a>',
    chunkChars: 20,
  });
  const doc = await createDoc(server);
  const a = await person(browser, "Ana", doc.editUrl);
  const b = await person(browser, "Ben", doc.editUrl);
  await writeAndSelectFirstParagraph(a, b, ORIGINAL);
  await a.keyboard.press("Control+j");
  await a.getByRole("menuitem", { name: "Rewrite" }).click();
  await expect(panel(a)).toHaveAttribute("data-phase", "done");
  const preview = a.getByTestId("ai-preview");
  await expect(preview.locator("strong")).toHaveText("bold");
  await expect(preview.locator("img, script, [onerror]")).toHaveCount(0);
  await expect(preview.locator('a[href^="javascript"]')).toHaveCount(0);
  await a.getByRole("button", { name: "Replace selection" }).click();
  await expect(editorOf(b)).toContainText("Safe bold.");
  for (const p of [a, b]) {
    // ProseMirror's own caret helper (img.ProseMirror-separator) is not content.
    await expect(editorOf(p).locator("img:not(.ProseMirror-separator), script, [onerror]")).toHaveCount(0);
    await expect(editorOf(p).locator('a[href^="javascript"]')).toHaveCount(0);
    await p.locator('.ProseMirror a, [data-testid="ai-preview"] a').evaluateAll((links) => {
      for (const l of links) (l as HTMLElement).click();
    });
    expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  }
  await a.context().close();
  await b.context().close();
});

test("an answer with a table and an image on its own line: the preview streams, Replace selection keeps both", async ({ browser }) => {
  stub.configure({
    text: "Here is the table:\n\n| City | Pop |\n| --- | --- |\n| Oslo | 0.7 |\n\n![a chart](/favicon.svg)\n\nDone.",
    chunkChars: 3,
    chunkDelayMs: 5,
  });
  const doc = await createDoc(server);
  const a = await person(browser, "Ana", doc.editUrl);
  const b = await person(browser, "Ben", doc.editUrl);
  await writeAndSelectFirstParagraph(a, b, ORIGINAL);
  await a.keyboard.press("Control+j");
  await a.getByRole("menuitem", { name: "Rewrite" }).click();
  // Every streamed prefix renders (an image line used to throw and freeze the preview).
  await expect(panel(a)).toHaveAttribute("data-phase", "done");
  const preview = a.getByTestId("ai-preview");
  await expect(preview.locator("td")).toHaveText(["Oslo", "0.7"]);
  await expect(preview.locator('img[src="/favicon.svg"]')).toHaveCount(1);
  await a.getByRole("button", { name: "Replace selection" }).click();
  for (const p of [a, b]) {
    await expect(editorOf(p).locator("th")).toHaveText(["City", "Pop"]);
    await expect(editorOf(p).locator("td")).toHaveText(["Oslo", "0.7"]);
    await expect(editorOf(p).locator('img[src="/favicon.svg"]')).toHaveAttribute("alt", "a chart");
    await expect(editorOf(p)).toContainText("Done.");
    await expect(editorOf(p)).not.toContainText(ORIGINAL);
    await expect(editorOf(p)).toContainText("A second paragraph.");
  }
  await a.context().close();
  await b.context().close();
});

test("a view-only link gets no AI menu", async ({ browser }) => {
  const doc = await createDoc(server);
  const v = await person(browser, "Vera", doc.viewUrl);
  await expect(v.getByText("View only")).toBeVisible();
  await expect(v.getByRole("button", { name: "AI assist" })).toHaveCount(0);
  await editorOf(v).click();
  await v.keyboard.press("Control+j");
  await expect(v.getByRole("menu", { name: "AI assist" })).toHaveCount(0);
  await v.context().close();
});

test("without any AI settings the UI says what to configure", async ({ browser }) => {
  const bare = await startQuire();
  try {
    const doc = await createDoc(bare);
    const a = await person(browser, "Ana", doc.editUrl);
    await editorOf(a).click();
    await a.keyboard.type(ORIGINAL);
    await a.locator(".ProseMirror p").first().click({ clickCount: 3 });
    await a.getByRole("button", { name: "AI assist" }).first().click();
    await a.getByRole("menuitem", { name: "Summarize" }).click();
    const error = a.getByTestId("ai-error");
    await expect(error).toHaveAttribute("data-code", "not-configured");
    await expect(error).toContainText("AI is not configured on this server.");
    await expect(error).toContainText("OPENAI_API_KEY");
    await expect(error).toContainText(".dev.vars");
    await expect(a.getByRole("button", { name: "Retry" })).toHaveCount(0);
    await a.context().close();
  } finally {
    await bare.stop();
  }
});
