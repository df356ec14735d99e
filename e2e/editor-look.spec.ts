/** The editor as people see it: light, dark, a 360 px phone, and the reading view. The
 * screenshots land in docs/screenshots/ (EDITOR.md shows them). */
import { expect, type Page, test } from "@playwright/test";
import { createFromHome, editor, newPage } from "./support/pages";

const SHOTS = "docs/screenshots";

async function writeSample(page: Page) {
  await editor(page).click();
  await page.keyboard.type("Quarterly plan");
  await page.getByRole("button", { name: "Heading 1" }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("We ship the editor first, then polish what people touch every day.");
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Task list" }).click();
  await page.keyboard.type("Tables and links");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Dark mode and the phone layout");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  for (let i = 0; i < 30; i++) await page.keyboard.type(`Paragraph ${i + 1} of notes that make the page scroll. \n`);
}

/** Gap between the header's bottom and the toolbar's top once the page has scrolled. */
async function toolbarGap(page: Page): Promise<number> {
  await page.mouse.wheel(0, 900);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
  return page.evaluate(() => {
    const header = document.querySelector(".doc-header")!.getBoundingClientRect();
    const toolbar = document.querySelector(".toolbar")!.getBoundingClientRect();
    return toolbar.top - header.bottom;
  });
}

test("light, dark and a 360 px phone: sticky toolbar flush under the header, checkboxes on their line, theme kept", async ({ browser }) => {
  const ana = await newPage(browser, "Ana Lima");
  await ana.setViewportSize({ width: 1100, height: 760 });
  const { viewUrl, editUrl } = await createFromHome(ana);
  await writeSample(ana);

  // The checkbox is centred on its text's first line (it sat ~15 px above it).
  const offset = await ana.evaluate(() => {
    const li = document.querySelector('.ProseMirror ul[data-type="taskList"] li')!;
    const box = li.querySelector("input")!.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(li.querySelector("p")!);
    const line = range.getClientRects()[0]!;
    return Math.abs(box.top + box.height / 2 - (line.top + line.height / 2));
  });
  expect(offset).toBeLessThan(4);

  const gap = await toolbarGap(ana);
  expect(Math.abs(gap)).toBeLessThan(2);
  await ana.evaluate(() => window.scrollTo(0, 0));
  await ana.screenshot({ path: `${SHOTS}/editor-light.png` });

  // Dark: from the toggle, kept across a reload, and the paper really is dark.
  await ana.getByRole("button", { name: "Theme: System" }).click();
  await ana.getByRole("button", { name: "Theme: Light" }).click();
  await expect(ana.getByRole("button", { name: "Theme: Dark" })).toBeVisible();
  await ana.reload();
  await expect(ana.getByRole("button", { name: "Theme: Dark" })).toBeVisible();
  await expect(editor(ana)).toContainText("Paragraph 30");
  const paper = await editor(ana).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(paper).toBe("rgb(28, 30, 34)");
  await ana.screenshot({ path: `${SHOTS}/editor-dark.png` });
  // The owner's share dialog: deleting looks like the danger it is.
  await ana.getByRole("button", { name: "Share" }).click();
  const share = ana.getByRole("dialog", { name: "Share this document" });
  const del = share.getByRole("button", { name: "Delete document" });
  expect(await del.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(
    await share.getByRole("button", { name: "Copy edit link" }).evaluate((el) => getComputedStyle(el).backgroundColor),
  );
  await share.screenshot({ path: `${SHOTS}/share-owner-dark.png` });
  await share.getByRole("button", { name: "Done" }).click();

  // The system's preference is followed when nothing is pinned.
  const ben = await newPage(browser, "Ben");
  await ben.emulateMedia({ colorScheme: "dark" });
  await ben.setViewportSize({ width: 360, height: 740 });
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Paragraph 30");
  // The count covers the content loaded on opening, not only later edits.
  await expect(ben.getByTestId("word-count")).toContainText(/^[1-9][\d,]* words/);
  expect(await editor(ben).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(28, 30, 34)");
  await ben.emulateMedia({ colorScheme: "light" });
  expect(await editor(ben).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 255, 255)");

  // Phone: nothing wider than the screen, the name field there with its label, the
  // toolbar one scrolling row right under the wrapped header.
  expect(await ben.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expect(ben.getByRole("textbox", { name: "Your name" })).toBeVisible();
  await expect(ben.getByRole("textbox", { name: "Document title" })).toBeVisible();
  const rows = await ben.getByRole("toolbar", { name: "Formatting" }).evaluate((el) => el.getBoundingClientRect().height);
  expect(rows).toBeLessThan(60);
  // Styles that live with lazy-loaded parts (dialogs, AI) are there before those load.
  const follow = ben.getByRole("button", { name: "Follow Ana Lima" });
  expect(await follow.evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe("none");
  await ben.screenshot({ path: `${SHOTS}/editor-phone.png` });
  expect(Math.abs(await toolbarGap(ben))).toBeLessThan(2);

  // Dialogs fit the phone.
  await ben.evaluate(() => window.scrollTo(0, 0));
  await ben.getByRole("button", { name: "Share" }).click();
  const dialog = ben.getByRole("dialog", { name: "Share this document" });
  const box = await dialog.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(360);
  await ben.screenshot({ path: `${SHOTS}/share-phone.png` });
  await dialog.getByRole("button", { name: "Done" }).click();

  // The reading view: a clear label, no editing controls.
  const vic = await newPage(browser, "Vic");
  await vic.setViewportSize({ width: 1100, height: 760 });
  await vic.goto(viewUrl);
  await expect(editor(vic)).toContainText("Paragraph 30");
  await expect(vic.getByText("View only")).toBeVisible();
  await expect(vic.getByRole("toolbar", { name: "Formatting" })).toHaveCount(0);
  expect(await vic.locator(".editor-shell").evaluate((el) => getComputedStyle(el).position)).toBe("relative");
  await vic.screenshot({ path: `${SHOTS}/viewer.png` });

  for (const p of [ana, ben, vic]) await p.context().close();
});
