/** Page helpers shared by the Playwright specs. */
import { expect, type Browser, type Page } from "@playwright/test";

/** A new browser context (a separate person) with a fixed display name. */
export async function newPage(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript((n) => localStorage.setItem("quire:name", n), name);
  return context.newPage();
}

export const editor = (page: Page) => page.getByRole("textbox", { name: "Document content" });

/** The document's text without other people's caret labels (which are DOM widgets). */
export const docText = (page: Page) =>
  editor(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    return copy.textContent ?? "";
  });

/** Creates a document from the home page and returns its share links. */
export async function createFromHome(page: Page): Promise<{ editUrl: string; viewUrl: string }> {
  await page.goto("/");
  await page.getByRole("button", { name: "New document" }).click();
  await expect(editor(page)).toBeVisible();
  await page.getByRole("button", { name: "Share" }).click();
  const editUrl = await page.getByRole("textbox", { name: "Edit link" }).inputValue();
  const viewUrl = await page.getByRole("textbox", { name: "View link" }).inputValue();
  await page.getByRole("button", { name: "Share" }).click();
  return { editUrl, viewUrl };
}
