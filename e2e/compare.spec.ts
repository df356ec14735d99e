import { type Browser, expect, type Page, test } from "@playwright/test";
import { createFromHome, editor } from "./support/pages";

const versions = (page: Page) => page.getByRole("list", { name: "Versions" });
/** Ben's caret colour (lib/identity.ts COLORS[5]), as the browser computes it. */
const BEN_COLOR = "#1864ab";
const BEN_RGB = "rgb(24, 100, 171)";

/** A person with a fixed name and caret colour. */
async function person(browser: Browser, name: string, color: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript(
    ([n, c]) => {
      localStorage.setItem("quire:name", n!);
      localStorage.setItem("quire:color", c!);
    },
    [name, color],
  );
  return context.newPage();
}

async function nameVersion(page: Page, name: string): Promise<void> {
  await page.getByRole("textbox", { name: "Version name" }).fill(name);
  await page.getByRole("button", { name: "Name this version" }).click();
  await expect(versions(page).getByRole("button", { name: new RegExp(name) })).toBeVisible();
}

test("Compare shows an editor's insertion in the editor's colour, with a count per author, and Restore beside it", async ({ browser }) => {
  const ana = await person(browser, "Ana", "#c92a2a");
  const ben = await person(browser, "Ben", BEN_COLOR);
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Ana wrote this.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Ana wrote this.");
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type(" Ben too.");
  await expect(ben.getByRole("status")).toHaveText("Saved");
  await expect(editor(ana)).toContainText("Ana wrote this. Ben too.");

  await ana.getByRole("button", { name: "History" }).click();
  await nameVersion(ana, "Draft 1");
  await ben.keyboard.press("Enter");
  await ben.keyboard.type("Second thought.");
  await expect(ben.getByRole("status")).toHaveText("Saved");
  await expect(editor(ana)).toContainText("Second thought.");

  await versions(ana)
    .getByRole("button", { name: /Draft 1/ })
    .click();
  await ana.getByRole("button", { name: "Compare with current" }).click();
  const text = ana.getByRole("document", { name: "Compared text" });
  const added = text.locator("ins", { hasText: "Second thought." });
  await expect(added).toBeVisible();
  await expect(text).toContainText("Ana wrote this. Ben too.");
  // In Ben's caret colour (he is present), and counted for him alone.
  await expect(added).toHaveCSS("text-decoration-color", BEN_RGB);
  const legend = ana.getByRole("list", { name: "Changes per author" });
  await expect(legend.getByRole("listitem")).toHaveCount(1);
  await expect(legend.getByRole("listitem")).toContainText("+15");
  await expect(legend.locator(".compare-swatch")).toHaveCSS("background-color", BEN_RGB);
  // Restore is still one click away.
  await expect(ana.getByRole("button", { name: "Restore this version" })).toBeEnabled();

  // Against another version, picked from the list: the same change; a version against
  // the current document it equals: nothing.
  await nameVersion(ana, "Draft 2");
  const pick = ana.getByRole("combobox", { name: "Compare with" });
  await ana.getByRole("button", { name: "Show this version" }).click();
  await ana.getByRole("button", { name: "Compare with current" }).click();
  await expect(pick.locator("option", { hasText: "Draft 2" })).toHaveCount(1);
  await pick.selectOption({ label: (await pick.locator("option", { hasText: "Draft 2" }).textContent()) ?? "" });
  await expect(text.locator("ins", { hasText: "Second thought." })).toBeVisible();
  await expect(ana.getByText(/Changes from “Draft 1” .* to “Draft 2”/)).toBeVisible();

  await versions(ana)
    .getByRole("button", { name: /Draft 2/ })
    .click();
  await ana.getByRole("button", { name: "Compare with current" }).click();
  await expect(ana.getByText("No differences: both have the same text.")).toBeVisible();
});
