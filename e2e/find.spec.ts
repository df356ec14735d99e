/** Find & replace across a long document: options, stepping, highlights that stay
 * local, and a replace-all large enough that it must go out as several updates. */
import { expect, test } from "@playwright/test";
import { MAX_DOCUMENT_BYTES, MAX_MESSAGE_BYTES } from "../shared/limits";
import { editor, importFromHome, newPage, shareLinks } from "./support/pages";

const PARAGRAPHS = 2_000;

test("find and replace across 2,000 paragraphs; replace-all goes out in frames under the limit and reaches a second person", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const markdown = Array.from({ length: PARAGRAPHS }, (_, i) => `Para ${i + 1}: Apple pie and apples.`).join("\n\n");
  await importFromHome(ana, markdown);
  await expect(editor(ana)).toContainText(`Para ${PARAGRAPHS}:`);
  const { editUrl } = await shareLinks(ana);
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText(`Para ${PARAGRAPHS}:`);

  await editor(ana).locator("p").first().click();
  await ana.keyboard.press("ControlOrMeta+Home");
  await ana.keyboard.press("ControlOrMeta+f");
  const bar = ana.getByRole("search", { name: "Find and replace" });
  const find = bar.getByRole("textbox", { name: "Find" });
  const count = bar.getByTestId("find-count");
  await find.fill("apple");
  await expect(count).toHaveText(`1 of ${2 * PARAGRAPHS}`);
  await bar.getByLabel("Match case").check();
  await expect(count).toHaveText(`1 of ${PARAGRAPHS}`);
  await bar.getByLabel("Match case").uncheck();
  await bar.getByLabel("Whole word").check();
  await expect(count).toHaveText(`1 of ${PARAGRAPHS}`);

  // Stepping, and the highlights are decorations: in Ana's view only, never in the document.
  await find.press("Enter");
  await expect(count).toHaveText(`2 of ${PARAGRAPHS}`);
  await find.press("Shift+Enter");
  await expect(count).toHaveText(`1 of ${PARAGRAPHS}`);
  await bar.getByRole("button", { name: "Previous match" }).click();
  await expect(count).toHaveText(`${PARAGRAPHS} of ${PARAGRAPHS}`);
  await expect(editor(ana).locator(".find-current")).toBeInViewport();
  expect(await editor(ana).locator(".find-match").count()).toBeGreaterThan(100);
  await expect(editor(ben).locator(".find-match")).toHaveCount(0);

  // Replace one.
  const replaceWith = bar.getByRole("textbox", { name: "Replace with" });
  await replaceWith.fill("Pear");
  await bar.getByRole("button", { name: "Replace", exact: true }).click();
  await expect(count).toContainText(`of ${PARAGRAPHS - 1}`);
  await expect(editor(ben)).toContainText(`Para ${PARAGRAPHS}: Pear pie`);

  // Replace all with text long enough for several steps (each at most a quarter of the
  // frame limit, client/src/find/replace-all.ts), while the document stays under its
  // size limit.
  const long = `Orchard-${"x".repeat(300)}`;
  expect((PARAGRAPHS - 1) * long.length).toBeGreaterThan(MAX_MESSAGE_BYTES / 2);
  expect(PARAGRAPHS * (long.length + 40)).toBeLessThan(MAX_DOCUMENT_BYTES * 0.9);
  // Sizes of everything the page's socket sends from here on.
  await ana.evaluate(() => {
    const w = window as unknown as { sentSizes: number[] };
    w.sentSizes = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      w.sentSizes.push(typeof data === "string" ? data.length : ((data as ArrayBuffer).byteLength ?? (data as Blob).size));
      return send.call(this, data);
    };
  });
  await replaceWith.fill(long);
  await bar.getByRole("button", { name: "Replace all" }).click();
  await expect(bar.getByRole("status")).toHaveText(`Replaced ${(PARAGRAPHS - 1).toLocaleString("en-US")}`);
  await expect(count).toHaveText("No matches");

  await expect
    .poll(() => editor(ben).evaluate((el) => (el.textContent?.match(/Orchard-x/g) ?? []).length), { timeout: 60_000 })
    .toBe(PARAGRAPHS - 1);
  expect(await editor(ben).evaluate((el) => /\bApple\b/.test(el.textContent ?? ""))).toBe(false);
  const sent = await ana.evaluate(() => (window as unknown as { sentSizes: number[] }).sentSizes);
  const big = sent.filter((n) => n > 100_000);
  expect(big.length).toBeGreaterThan(1);
  expect(Math.max(...sent)).toBeLessThan(MAX_MESSAGE_BYTES);

  await find.press("Escape");
  await expect(bar).toBeHidden();
  await expect(editor(ana).locator(".find-match")).toHaveCount(0);

  for (const p of [ana, ben]) await p.context().close();
});
