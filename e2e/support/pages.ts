/** Browser-test helpers: one browser context per person, and the steps most tests share. */
import { expect, type Browser, type Page } from "@playwright/test";

export async function newPage(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext();
  // A fixed display name per person, so carets and avatars are recognisable.
  await context.addInitScript((n) => localStorage.setItem("quire:name", n), name);
  return context.newPage();
}

export const editor = (page: Page) => page.getByRole("textbox", { name: "Document content" });

/** The document's text without other people's caret labels (which are DOM widgets). */
export const docText = (page: Page) =>
  editor(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => {
      c.remove();
    });
    return copy.textContent ?? "";
  });

/** Dismisses the one-time owner link dialog a new document opens with. */
export async function dismissOwnerLink(page: Page): Promise<string> {
  const dialog = page.getByRole("dialog", { name: "Your owner link" });
  await expect(dialog).toBeVisible();
  const ownerUrl = await dialog.getByRole("textbox", { name: "Owner link" }).inputValue();
  await dialog.getByRole("button", { name: "I saved it" }).click();
  await expect(dialog).toBeHidden();
  return ownerUrl;
}

/** Reads the edit and view links from the Share dialog (and closes it). */
export async function shareLinks(page: Page): Promise<{ editUrl: string; viewUrl: string }> {
  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: "Share this document" });
  const editUrl = await dialog.getByRole("textbox", { name: "Edit link" }).inputValue();
  const viewUrl = await dialog.getByRole("textbox", { name: "View link" }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return { editUrl, viewUrl };
}

export async function createFromHome(page: Page): Promise<{ editUrl: string; viewUrl: string; ownerUrl: string }> {
  await page.goto("/");
  await page.getByRole("button", { name: "New document" }).click();
  await expect(editor(page)).toBeVisible();
  const ownerUrl = await dismissOwnerLink(page);
  return { ...(await shareLinks(page)), ownerUrl };
}

/** Creates a document from Markdown through the home page's import; returns the owner link. */
export async function importFromHome(page: Page, markdown: string): Promise<string> {
  await page.goto("/");
  await page.getByRole("button", { name: "Import Markdown" }).click();
  await page.getByRole("textbox", { name: "Markdown text" }).fill(markdown);
  await page.getByRole("button", { name: "Create document" }).click();
  return dismissOwnerLink(page);
}

/** Selects the first occurrence of `text` in the editor, as a mouse drag would, and
 * waits until the editor's own selection holds exactly it. Arrow-key selection can lose
 * a step on a busy machine or next to another person's caret widget. */
export async function selectText(page: Page, text: string): Promise<void> {
  await editor(page).evaluate((el, wanted) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent?.indexOf(wanted) ?? -1;
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + wanted.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the editor`);
  }, text);
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe(text);
}

/** A person in a fresh browser context (a fixed name, and a caret colour if given) with
 * `url` open and its editor shown. */
export async function openAs(browser: Browser, name: string, url: string, color?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  await context.addInitScript(
    ([n, c]) => {
      localStorage.setItem("quire:name", n!);
      if (c) localStorage.setItem("quire:color", c);
    },
    [name, color ?? ""],
  );
  const page = await context.newPage();
  await page.goto(url);
  await expect(editor(page)).toBeVisible();
  return page;
}
