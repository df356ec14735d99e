import { expect, test, type Page } from "@playwright/test";
import { createFromHome, docText, editor, newPage } from "./support/pages";

const versions = (page: Page) => page.getByRole("list", { name: "Versions" });

async function createWithDraft(ana: Page): Promise<{ editUrl: string; viewUrl: string }> {
  const links = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("First draft of the plan.");
  await ana.keyboard.press("Enter");
  await ana.keyboard.type("This paragraph stays.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  await ana.getByRole("button", { name: "History" }).click();
  await ana.getByRole("textbox", { name: "Version name" }).fill("Draft 1");
  await ana.getByRole("button", { name: "Name this version" }).click();
  await expect(versions(ana).getByRole("button", { name: /Draft 1/ })).toBeVisible();
  await ana.getByRole("button", { name: "Close history" }).click();
  return links;
}

test("preview an older version, restore it live for everyone, and undo the restore", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createWithDraft(ana);

  await editor(ana).click();
  await ana.keyboard.press("ControlOrMeta+End");
  await ana.keyboard.press("Enter");
  await ana.keyboard.type("Later text that the restore takes out.");
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Later text that the restore takes out.");

  // The list shows who edited; the preview is a separate read-only editor.
  await ana.getByRole("button", { name: "History" }).click();
  const draft = versions(ana).getByRole("button", { name: /Draft 1/ });
  await expect(draft).toContainText("Ana");
  await draft.click();
  const preview = ana.getByRole("textbox", { name: "Version content" });
  await expect(preview).toContainText("First draft of the plan.This paragraph stays.");
  await expect(preview).not.toContainText("Later text");
  await expect(preview).toHaveAttribute("contenteditable", "false");
  await expect(editor(ana)).toBeHidden();

  await ana.getByRole("button", { name: "Restore this version" }).click();
  await expect(editor(ana)).toBeVisible();
  await expect(editor(ana)).not.toContainText("Later text");
  await expect(editor(ana)).toContainText("First draft of the plan.");
  // Ben sees it live, without reloading.
  await expect(editor(ben)).not.toContainText("Later text");
  await expect(editor(ben)).toContainText("This paragraph stays.");
  // The replaced state is kept as a version of its own.
  await expect(versions(ana).getByRole("button", { name: /Before a restore/ })).toBeVisible();

  // Undo (Ana's own change) brings the later text back for both.
  await ana.getByRole("button", { name: "Undo" }).click();
  await expect(editor(ana)).toContainText("Later text that the restore takes out.");
  await expect(editor(ben)).toContainText("Later text that the restore takes out.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  await ben.reload();
  await expect.poll(() => docText(ben)).toBe("First draft of the plan.This paragraph stays.Later text that the restore takes out.");
});

test("a view link can browse and preview history but not restore or name", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const vic = await newPage(browser, "Vic");
  const { viewUrl } = await createWithDraft(ana);
  await vic.goto(viewUrl);
  await expect(editor(vic)).toContainText("First draft of the plan.");
  await vic.getByRole("button", { name: "History" }).click();
  await versions(vic)
    .getByRole("button", { name: /Draft 1/ })
    .click();
  await expect(vic.getByRole("textbox", { name: "Version content" })).toContainText("This paragraph stays.");
  await expect(vic.getByRole("button", { name: "Restore this version" })).toHaveCount(0);
  await expect(vic.getByRole("textbox", { name: "Version name" })).toHaveCount(0);
  await vic.getByRole("button", { name: "Back to current document" }).click();
  await expect(editor(vic)).toBeVisible();
});
