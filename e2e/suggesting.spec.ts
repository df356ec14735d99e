/**
 * Suggesting in the browser, with two people: Ana writes, Ben (edit link) turns on
 * Suggesting and changes things with real keys and clicks; Ana sees every change as a
 * suggestion, and Reject all / Accept all give back the original or the intended text.
 */
import { expect, test, type Page } from "@playwright/test";
import { createFromHome, docText, editor, newPage } from "./support/pages";

/** Double-clicks a word of the editor, as a person selecting it would. */
async function doubleClickWord(page: Page, word: string): Promise<void> {
  const box = await editor(page).evaluate((el, wanted) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = new RegExp(`\\b${wanted}\\b`).exec(n.textContent ?? "")?.index ?? -1;
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + wanted.length);
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }
    throw new Error(`"${wanted}" is not in the editor`);
  }, word);
  await page.mouse.dblclick(box.x, box.y);
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString().trim())).toBe(word);
}

/** Ana's document with `text`, and Ben on its edit link with Suggesting on. */
async function twoPeople(browser: import("@playwright/test").Browser, text: string) {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type(text);
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText(text);
  const toggle = ben.getByRole("button", { name: "Suggesting" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  return { ana, ben };
}

const panel = (page: Page) => page.getByRole("complementary", { name: "Suggestions" });

test("typing over a selected word while Suggesting keeps the typed letters in order", async ({ browser }) => {
  const { ana, ben } = await twoPeople(browser, "The quick fox jumps over beta.");
  await doubleClickWord(ben, "beta");
  await ben.keyboard.type("NEW");
  await doubleClickWord(ben, "jumps");
  await ben.keyboard.type("leaps");

  await expect(editor(ana).locator("ins.suggestion")).toHaveText(["leaps", "NEW"]);
  await expect(editor(ana).locator("del.suggestion")).toHaveText(["jumps", "beta"]);
  expect(await docText(ana)).toBe("The quick fox jumpsleaps over betaNEW.");

  await panel(ana).getByRole("button", { name: "Accept all" }).click();
  await expect.poll(() => docText(ben)).toBe("The quick fox leaps over NEW.");
  await expect(editor(ben).locator("ins.suggestion, del.suggestion")).toHaveCount(0);
});
