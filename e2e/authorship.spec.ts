/**
 * Who wrote what (issue 25): the server records each person's client ids, and the
 * Authors view colours the text by them, with a legend and hover text.
 */
import { expect, test } from "@playwright/test";
import { createFromHome, editor, newPage } from "./support/pages";

test("the Authors view colours the owner's and the editor's text, with a legend and hover text", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Ana wrote this.");
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Ana wrote this.");
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type(" Ben added that.");
  await expect(editor(ana)).toContainText("Ana wrote this. Ben added that.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  await expect(ben.getByRole("status")).toHaveText("Saved");

  await ana.getByRole("button", { name: "Authors" }).click();
  const legend = ana.getByRole("region", { name: "Authors" });
  await expect(legend.getByRole("listitem")).toHaveText(["Ana", "Ben"]);
  const runs = ana.locator(".ProseMirror .author-run");
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(0)).toHaveText("Ana wrote this.");
  await expect(runs.nth(0)).toHaveAttribute("title", "Ana (owner)");
  await expect(runs.nth(1)).toHaveText(" Ben added that.");
  await expect(runs.nth(1)).toHaveAttribute("title", "Ben (edit link)");
  const colors = await runs.evaluateAll((els) => els.map((el) => getComputedStyle(el).getPropertyValue("--author-color").trim()));
  expect(new Set(colors).size).toBe(2);

  // New text takes its author's colour a moment after it is typed.
  await ben.keyboard.type(" More.");
  await expect(ana.locator(".ProseMirror .author-run", { hasText: "Ben added that. More." })).toHaveAttribute("title", "Ben (edit link)");

  await legend.getByRole("button", { name: "Hide authors" }).click();
  await expect(ana.locator(".ProseMirror .author-run")).toHaveCount(0);
});
