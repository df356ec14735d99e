/** The live word count and the outline panel (read-only: it never writes). */
import { expect, test } from "@playwright/test";
import { createFromHome, editor, newPage } from "./support/pages";
import { recordSentFrames } from "./support/sent-frames";

test("word count follows everyone's typing; the outline lists headings, jumps to them, and writes nothing", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  await ana.setViewportSize({ width: 1200, height: 700 });
  const { editUrl } = await createFromHome(ana);
  const count = ana.getByTestId("word-count");
  await expect(count).toHaveText("0 words · 0 characters");

  await editor(ana).click();
  await ana.keyboard.type("Intro");
  await ana.getByRole("button", { name: "Heading 1" }).click();
  await ana.keyboard.press("End");
  await ana.keyboard.press("Enter");
  await ana.keyboard.type("Two words.");
  await expect(count).toHaveText("3 words · 15 characters");

  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Two words.");
  await editor(ben).locator("p").last().click();
  await ben.keyboard.press("End");
  await ben.keyboard.press("Enter");
  for (let i = 0; i < 40; i++) await ben.keyboard.press("Enter");
  await ben.keyboard.type("Details");
  await ben.getByRole("button", { name: "Heading 2" }).click();
  await expect(count).toHaveText("4 words · 22 characters");

  // Updates this tab sends that change the document (sync message 0, update 2),
  // recorded in the page; reading the record is the barrier (support/sent-frames.ts).
  const frames = await recordSentFrames(ana);
  const writes = async () => (await frames.read()).filter((f) => f.type === 0 && f.sub === 2);
  await ana.reload();
  await expect(editor(ana)).toContainText("Details");
  await expect(ana.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  // The record is live: the reload's sync (step 1) is in it.
  expect((await frames.read()).some((f) => f.type === 0 && f.sub === 0)).toBe(true);
  await frames.clear();
  await ana.getByRole("button", { name: "Outline" }).click();
  const outline = ana.getByRole("navigation", { name: "Outline" });
  await expect(outline.getByRole("button")).toHaveText(["×", "Intro", "Details"]);
  const details = editor(ana).locator("h2", { hasText: "Details" });
  await expect(details).not.toBeInViewport();
  await outline.getByRole("button", { name: "Details" }).click();
  await expect(details).toBeInViewport();
  await outline.getByRole("button", { name: "Intro" }).click();
  await expect(editor(ana).locator("h1")).toBeInViewport();
  expect(await writes()).toEqual([]);

  for (const p of [ana, ben]) await p.context().close();
});
