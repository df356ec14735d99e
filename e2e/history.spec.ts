import { expect, test, type Page } from "@playwright/test";
import { createFromHome, docText, editor, newPage } from "./support/pages";

const versions = (page: Page) => page.getByRole("list", { name: "Versions" });

async function commentLinkOf(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: "Share this document" });
  const url = await dialog.getByRole("textbox", { name: "Comment link" }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  return url;
}

async function createWithDraft(ana: Page): Promise<{ editUrl: string; viewUrl: string; ownerUrl: string }> {
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

test("history answers every link: the owner link in a fresh browser and a comment link list and preview; only the owner deletes", async ({
  browser,
}) => {
  const ana = await newPage(browser, "Ana");
  const links = await createWithDraft(ana);
  const ownerUrl = links.ownerUrl;

  // The owner link opened in another browser holds only the owner token.
  const owner = await newPage(browser, "Ana elsewhere");
  await owner.goto(ownerUrl);
  await expect(editor(owner)).toContainText("First draft of the plan.");
  await owner.getByRole("button", { name: "History" }).click();
  await versions(owner)
    .getByRole("button", { name: /Draft 1/ })
    .click();
  await expect(owner.getByRole("textbox", { name: "Version content" })).toContainText("This paragraph stays.");
  await expect(owner.getByRole("button", { name: "Restore this version" })).toBeVisible();
  await expect(owner.getByRole("button", { name: "Rebuild from this version" })).toBeVisible();

  // A comment link lists and previews, and changes nothing.
  const cleo = await newPage(browser, "Cleo");
  await cleo.goto(await commentLinkOf(ana));
  await expect(editor(cleo)).toContainText("First draft of the plan.");
  await cleo.getByRole("button", { name: "History" }).click();
  await versions(cleo)
    .getByRole("button", { name: /Draft 1/ })
    .click();
  await expect(cleo.getByRole("textbox", { name: "Version content" })).toContainText("This paragraph stays.");
  for (const name of ["Restore this version", "Rebuild from this version", "Delete version"]) {
    await expect(cleo.getByRole("button", { name })).toHaveCount(0);
  }
  await expect(cleo.getByRole("textbox", { name: "Version name" })).toHaveCount(0);

  // An edit link restores, but does not delete.
  const ben = await newPage(browser, "Ben");
  await ben.goto(links.editUrl);
  await ben.getByRole("button", { name: "History" }).click();
  await versions(ben)
    .getByRole("button", { name: /Draft 1/ })
    .click();
  await expect(ben.getByRole("button", { name: "Restore this version" })).toBeVisible();
  await expect(ben.getByRole("button", { name: "Delete version" })).toHaveCount(0);

  // The owner deletes the named version, after confirming.
  await owner.getByRole("button", { name: "Delete version" }).click();
  await owner.getByRole("group", { name: "Confirm delete" }).getByRole("button", { name: "Delete this version" }).click();
  await expect(owner.getByText("Deleted the version “Draft 1”.")).toBeVisible();
  await expect(versions(owner).getByRole("button", { name: /Draft 1/ })).toHaveCount(0);
  await cleo.getByRole("button", { name: "Back to current document" }).click();
  await cleo.getByRole("button", { name: "Close history" }).click();
  await cleo.getByRole("button", { name: "History" }).click();
  await expect(cleo.getByRole("complementary", { name: "Version history" })).not.toContainText("Loading…");
  await expect(versions(cleo).getByRole("button", { name: /Draft 1/ })).toHaveCount(0);
});

test("the history panel says when the list cannot be loaded, and tries again", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await createWithDraft(ana);
  await ana.reload(); // the panel has not read the list yet
  await expect(editor(ana)).toContainText("First draft of the plan.");
  await ana.route("**/versions", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ error: "storage-unavailable", message: "Version storage is unavailable; try again" }),
    }),
  );
  await ana.getByRole("button", { name: "History" }).click();
  const panel = ana.getByRole("complementary", { name: "Version history" });
  await expect(panel.getByRole("alert")).toContainText("The history could not be loaded: Version storage is unavailable; try again");
  await expect(panel).not.toContainText("Loading…");
  await ana.unroute("**/versions");
  await panel.getByRole("button", { name: "Try again" }).click();
  await expect(versions(ana).getByRole("button", { name: /Draft 1/ })).toBeVisible();
});

test("rebuild from a version: everyone reloads onto it, and changes not yet sent are offered back", async ({ browser }) => {
  test.setTimeout(150_000); // three people, a reconnect and two reloads
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const cleo = await newPage(browser, "Cleo");
  const { editUrl, viewUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Kept text.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  await ana.getByRole("button", { name: "History" }).click();
  await ana.getByRole("textbox", { name: "Version name" }).fill("Base");
  await ana.getByRole("button", { name: "Name this version" }).click();
  await expect(versions(ana).getByRole("button", { name: /Base/ })).toBeVisible();

  await ben.goto(editUrl);
  await cleo.goto(viewUrl);
  await expect(editor(ben)).toContainText("Kept text.");
  await expect(editor(cleo)).toContainText("Kept text.");
  // Ben types while offline: his change is on his device only.
  await ben.context().setOffline(true);
  await expect(ben.getByRole("status")).toHaveText("Offline — changes kept on this device");
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type(" Ben's unsent words.");

  await versions(ana).getByRole("button", { name: /Base/ }).click();
  await ana.getByRole("button", { name: "Rebuild from this version" }).click();
  const dialog = ana.getByRole("dialog", { name: "Rebuild the document" });
  await expect(dialog).toContainText("Changes someone had not saved yet are offered back to them");
  await dialog.getByRole("button", { name: "Rebuild the document" }).click();
  // The owner's page reloads onto the rebuilt document, and says what happened.
  await expect(ana.getByText(/Rebuilt from “Base”/)).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => docText(ana)).toBe("Kept text.");
  await expect.poll(() => docText(cleo), { timeout: 20_000 }).toBe("Kept text.");

  // Ben comes back: his copy is from before the rebuild, so it is not merged; his
  // unsent words are offered back.
  await ben.context().setOffline(false);
  await expect(ben.getByText("The owner rebuilt this document while this browser had changes that were not saved.")).toBeVisible({
    timeout: 20_000,
  });
  await expect.poll(() => docText(ben)).toBe("Kept text.");
  await ben.getByRole("button", { name: "Show my unsaved changes" }).click();
  const copy = ben.getByRole("dialog", { name: "Your unsaved changes" });
  await expect(copy.getByRole("textbox", { name: "Version content" })).toContainText("Kept text. Ben's unsent words.");
  await copy.getByRole("button", { name: "Close" }).click();

  // Everyone edits the rebuilt document together again.
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type(" After.");
  await expect(ben.getByRole("status")).toHaveText("Saved");
  await expect.poll(() => docText(ana)).toBe("Kept text. After.");
  await expect.poll(() => docText(cleo)).toBe("Kept text. After.");
  await ana.reload();
  await expect.poll(() => docText(ana)).toBe("Kept text. After.");
});
