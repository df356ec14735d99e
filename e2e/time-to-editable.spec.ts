/** Time from opening an edit link to an editable editor, printed (not asserted: the
 * machine is shared and noisy). Also checks the lazy parts stay off the first load. */
import { expect, test } from "@playwright/test";
import { createFromHome, editor, newPage } from "./support/pages";

test("edit link → editable: printed; AI, find, outline and dialogs load only when needed", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Some text to load.");

  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const ben = await newPage(browser, "Ben");
    const scripts: string[] = [];
    ben.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    const start = Date.now();
    await ben.goto(editUrl);
    await expect(editor(ben)).toHaveAttribute("contenteditable", "true");
    await expect(editor(ben)).toContainText("Some text to load.");
    times.push(Date.now() - start);
    const early = scripts.join(" ");
    for (const lazy of ["FindBar", "Outline", "ShareDialog", "ShortcutsDialog", "VersionPreview"])
      expect(early, lazy).not.toContain(`/${lazy}-`);
    await editor(ben).click();
    await ben.keyboard.press("ControlOrMeta+f");
    await expect(ben.getByRole("search", { name: "Find and replace" })).toBeVisible();
    await ben.context().close();
  }
  console.log(`edit link → editable (ms, cold browser context each): ${times.join(", ")}`);
  await ana.context().close();
});
