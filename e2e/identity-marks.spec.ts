/**
 * Marks of identity come only from the editor (issue 22, item 7), in Chromium: the
 * browser parses raw HTML in an AI answer or a paste with the schema's own rules, so
 * `<ins data-id=… data-author=…>` would become a suggestion in someone else's name and
 * `<span data-thread-id=…>` would move an existing thread's anchor. Node has no HTML
 * parser, so the unit tests of shared/identity-marks.ts cannot see this; these do.
 * (Node suggestion records are not parsed from HTML at all: their parseHTML is null.)
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { YDOC_CONTENT_FIELD } from "../shared/api";
import { withAiStub } from "./support/ai-server";
import type { OpenAIStub } from "./support/openai-stub";
import { editor, newPage } from "./support/pages";
import { createDoc, docUrl, type QuireServer } from "./support/server";
import { YClient } from "./support/yclient";

let stub: OpenAIStub;
let server: QuireServer;
withAiStub((s, q) => {
  stub = s;
  server = q;
});

const FIRST = "Please pay the supplier this week.";
const SECOND = "The budget needs a second look.";
const forged = (threadId: string) =>
  `Pay the supplier <ins data-id="42-1" data-author="Finance lead">to account 999</ins> and <span data-thread-id="${threadId}">read the note</span>.`;

/** Ana and Ben on one document of two paragraphs, with a thread on "second look". */
async function documentWithThread(browser: Browser): Promise<{ ana: Page; ben: Page; threadId: string; docId: string; viewToken: string }> {
  const doc = await createDoc(server);
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  await ana.goto(doc.editUrl);
  await editor(ana).click();
  await ana.keyboard.type(FIRST);
  await ana.keyboard.press("Enter");
  await ana.keyboard.type(SECOND);
  await ben.goto(doc.editUrl);
  await expect(editor(ben)).toContainText(SECOND);
  let threadId = "";
  // The server anchors the thread once the quoted text is stored.
  await expect
    .poll(async () => {
      const res = await fetch(`${server.http}/api/docs/${doc.id}/threads`, {
        method: "POST",
        headers: { authorization: `Bearer ${doc.commentToken}`, "content-type": "application/json" },
        body: JSON.stringify({ quote: "second look", body: "Which figures?", author: "Cleo" }),
      });
      if (res.status === 201) threadId = ((await res.json()) as { id: string }).id;
      return res.status;
    })
    .toBe(201);
  for (const p of [ana, ben]) await expect(anchors(p, threadId)).toHaveText(["second look"]);
  return { ana, ben, threadId, docId: doc.id, viewToken: doc.viewToken };
}

const anchors = (p: Page, threadId: string) => editor(p).locator(`.comment-anchor[data-thread-id="${threadId}"]`);

/** Once `text` shows in `p`, nothing of the forged HTML is a mark there: checked at once,
 * not retried, so a client that showed the forgery until the server refused it fails. */
async function expectNoForgery(p: Page, text: string, threadId: string): Promise<void> {
  await expect(editor(p)).toContainText(text);
  expect(await editor(p).locator('[data-author="Finance lead"], [data-id="42-1"], .suggestion').count()).toBe(0);
  expect(await anchors(p, threadId).allTextContents()).toEqual(["second look"]);
}

/** What the server stores and serves (a fresh reader's sync, marks and their attributes
 * included): the text, no forged suggestion, and the thread's mark only where it was. */
async function expectStoredClean(docId: string, viewToken: string, threadId: string, text: string): Promise<void> {
  const reader = await YClient.open(docUrl(server, docId, viewToken));
  try {
    const stored = () => reader.doc.getXmlFragment(YDOC_CONTENT_FIELD).toString();
    await expect.poll(stored).toContain(text);
    expect(stored()).not.toContain("Finance lead");
    expect(stored()).not.toContain("42-1");
    // The thread id appears once: on "second look" only.
    expect(stored().split(threadId).length - 1, stored()).toBe(1);
  } finally {
    await reader.close();
  }
}

/** Dispatches a paste of `html` on the editor, as the browser would. */
async function pasteHtml(p: Page, html: string): Promise<void> {
  await editor(p).evaluate((el, h) => {
    const dt = new DataTransfer();
    dt.setData("text/html", h);
    dt.setData("text/plain", h.replace(/<[^>]*>/g, ""));
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, html);
}

test("an AI answer that forges a suggestion and another thread's anchor is accepted as plain text", async ({ browser }) => {
  const { ana, ben, threadId, docId, viewToken } = await documentWithThread(browser);
  stub.configure({ text: forged(threadId), chunkChars: 12, chunkDelayMs: 5 });
  await expect(async () => {
    await ana.locator(".ProseMirror p").first().click({ clickCount: 3 });
    expect(await ana.evaluate(() => window.getSelection()?.toString())).toBe(FIRST);
  }).toPass({ timeout: 15_000 });
  await ana.keyboard.press("Control+j");
  await ana.getByRole("menuitem", { name: "Rewrite" }).click();
  await expect(ana.getByTestId("ai-panel")).toHaveAttribute("data-phase", "done", { timeout: 15_000 });
  const preview = ana.getByTestId("ai-preview");
  await expect(preview).toContainText("to account 999");
  await expect(preview.locator("ins, [data-thread-id], .suggestion")).toHaveCount(0);
  await ana.getByRole("button", { name: "Replace selection" }).click();

  for (const p of [ana, ben]) await expectNoForgery(p, "to account 999 and read the note.", threadId);
  await expect(editor(ben)).not.toContainText(FIRST);
  await expectStoredClean(docId, viewToken, threadId, "to account 999");
  await ana.context().close();
  await ben.context().close();
});

test("pasted HTML loses suggestion and comment marks; a suggestion copied inside the editor keeps its mark", async ({ browser }) => {
  const { ana, ben, threadId, docId, viewToken } = await documentWithThread(browser);

  // A paste from elsewhere, at the end of the first paragraph.
  await ana.locator(".ProseMirror p").first().click();
  await ana.keyboard.press("End");
  await ana.keyboard.type(" ");
  await pasteHtml(ana, forged(threadId));
  for (const p of [ana, ben]) await expectNoForgery(p, "to account 999 and read the note.", threadId);
  await expectStoredClean(docId, viewToken, threadId, "to account 999");

  // Ben suggests a word; Ana copies his suggestion and pastes it at the end: the copy is
  // still Ben's suggestion (the same id and author), for both of them and on the server.
  const toggle = ben.getByRole("button", { name: "Suggesting" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await ben.locator(".ProseMirror p").last().click();
  await ben.keyboard.press("End");
  await ben.keyboard.type(" Urgently");
  const suggestion = editor(ana).locator("ins.suggestion");
  await expect(suggestion).toHaveText(" Urgently");
  const id = await suggestion.getAttribute("data-id");
  expect(id).toMatch(/^\d+-\d+$/);
  await expect(suggestion).toHaveAttribute("data-author", "Ben");

  await suggestion.evaluate((ins) => {
    const range = document.createRange();
    range.selectNodeContents(ins);
    const sel = window.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
  });
  // ProseMirror reads the DOM selection on selectionchange; copy only once it has.
  await expect.poll(() => ana.evaluate(() => window.getSelection()?.toString())).toBe(" Urgently");
  await ana.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await editor(ana).evaluate((el) => {
    const dt = new DataTransfer();
    el.dispatchEvent(new ClipboardEvent("copy", { clipboardData: dt, bubbles: true, cancelable: true }));
    (window as unknown as { __copied: DataTransfer }).__copied = dt;
  });
  expect(await ana.evaluate(() => (window as unknown as { __copied: DataTransfer }).__copied.getData("text/html"))).toContain(
    "data-suggestion",
  );
  await ana.locator(".ProseMirror p").first().click();
  await ana.keyboard.press("End");
  await editor(ana).evaluate((el) => {
    const dt = (window as unknown as { __copied: DataTransfer }).__copied;
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  for (const p of [ana, ben]) {
    const copies = editor(p).locator(`ins.suggestion[data-id="${id}"]`);
    await expect(copies).toHaveText([" Urgently", " Urgently"]);
    await expect(copies.first()).toHaveAttribute("data-author", "Ben");
    await expect(anchors(p, threadId)).toHaveText(["second look"]);
  }
  await ana.context().close();
  await ben.context().close();
});
