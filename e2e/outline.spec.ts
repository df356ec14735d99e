/** The live word count and the outline panel (read-only: it never writes). */
import { expect, test } from "@playwright/test";
import { createFromHome, editor, newPage } from "./support/pages";

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

  // Updates this tab sends that change the document (sync message 0, update 2).
  const writes: number[] = [];
  ana.on("websocket", (ws) =>
    ws.on("framesent", ({ payload }) => {
      if (typeof payload !== "string" && payload[0] === 0 && payload[1] === 2) writes.push(payload.length);
    }),
  );
  await ana.reload();
  await expect(editor(ana)).toContainText("Details");
  await expect(ana.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await ana.waitForTimeout(500);
  writes.length = 0;
  await ana.getByRole("button", { name: "Outline" }).click();
  const outline = ana.getByRole("navigation", { name: "Outline" });
  await expect(outline.getByRole("button")).toHaveText(["×", "Intro", "Details"]);
  const details = editor(ana).locator("h2", { hasText: "Details" });
  await expect(details).not.toBeInViewport();
  await outline.getByRole("button", { name: "Details" }).click();
  await expect(details).toBeInViewport();
  await outline.getByRole("button", { name: "Intro" }).click();
  await expect(editor(ana).locator("h1")).toBeInViewport();
  await ana.waitForTimeout(500);
  expect(writes).toEqual([]);

  for (const p of [ana, ben]) await p.context().close();
});
