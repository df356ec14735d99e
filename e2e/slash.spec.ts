/** The "/" block menu (keyboard and mouse) and the keyboard-shortcut help. */
import { expect, test } from "@playwright/test";
import { createFromHome, editor, newPage } from "./support/pages";

test("the slash menu turns lines into blocks by keyboard and mouse; Ctrl+/ lists the shortcuts", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();

  await ana.keyboard.type("/head");
  const menu = ana.getByRole("listbox", { name: "Insert block" });
  await expect(menu.getByRole("option")).toHaveText(["Heading 1", "Heading 2", "Heading 3"]);
  await ana.keyboard.press("ArrowDown");
  await expect(menu.getByRole("option", { name: "Heading 2" })).toHaveAttribute("aria-selected", "true");
  await ana.keyboard.press("Enter");
  await expect(menu).toBeHidden();
  await ana.keyboard.type("Plan");
  await expect(editor(ana).locator("h2")).toHaveText("Plan");

  await ana.keyboard.press("Enter");
  await ana.keyboard.type("/");
  await menu.getByRole("option", { name: "Task list" }).click();
  await ana.keyboard.type("Write docs");
  await expect(editor(ana).locator('ul[data-type="taskList"] li p')).toHaveText("Write docs");

  // Escape leaves the typed text alone; a slash inside a word opens nothing.
  await ana.keyboard.press("Enter");
  await ana.keyboard.press("Enter");
  await ana.keyboard.type("and/or /zz");
  await expect(menu.getByText("No matching block")).toBeVisible();
  await ana.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(editor(ana)).toContainText("and/or /zz");

  await ben.goto(editUrl);
  await expect(editor(ben).locator("h2")).toHaveText("Plan");
  await expect(editor(ben).locator('ul[data-type="taskList"]')).toHaveCount(1);

  await ana.keyboard.press("ControlOrMeta+/");
  const help = ana.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Find and replace");
  await expect(help).toContainText("Add, edit or remove a link");
  await ana.keyboard.press("Escape");
  await expect(help).toBeHidden();

  for (const p of [ana, ben]) await p.context().close();
});
