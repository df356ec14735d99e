/**
 * Who wrote what, end to end with three people (issue 25): the owner and an editor
 * type, a third person accepts an AI rewrite (the local SSE stub in place of a model).
 * The Authors view shows three colours with the right hover text, Compare shows the
 * editor's insertion in the editor's colour, and when the owner turns AI off the
 * editor's AI button goes and the server refuses a raw request.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { rawAiRequest, setPolicy } from "./support/ai-policy";
import { withAiStub } from "./support/ai-server";
import type { OpenAIStub } from "./support/openai-stub";
import { editor, openAs } from "./support/pages";
import { createDoc, type QuireServer } from "./support/server";

let stub: OpenAIStub;
let server: QuireServer;
withAiStub((s, q) => {
  stub = s;
  server = q;
});

const ANSWER = "A clearer, rewritten version of the text.";
/** Ben's caret colour (lib/identity.ts COLORS[5]). */
const BEN_COLOR = "#1864ab";

test("three people: the Authors view tells the owner, the editor and the AI apart; Compare colours the editor; AI off", async ({
  browser,
}) => {
  stub.configure({ text: ANSWER, chunkChars: 8, chunkDelayMs: 5 });
  const doc = await createDoc(server);
  const ana = await openAs(browser, "Ana", doc.ownerUrl, "#c92a2a");
  const ben = await openAs(browser, "Ben", doc.editUrl, BEN_COLOR);
  const cleo = await openAs(browser, "Cleo", doc.editUrl, "#2b7a3b");

  await editor(ana).click();
  await ana.keyboard.type("Ana opens the report.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  await ana.getByRole("button", { name: "History" }).click();
  await ana.getByRole("textbox", { name: "Version name" }).fill("Ana's draft");
  await ana.getByRole("button", { name: "Name this version" }).click();
  await ana.getByRole("button", { name: "Close history" }).click();

  await expect(editor(ben)).toContainText("Ana opens the report.");
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.press("Enter");
  await ben.keyboard.type("Ben adds the numbers.");
  await expect(ben.getByRole("status")).toHaveText("Saved");

  // Cleo writes a sentence and has the AI rewrite it.
  await expect(editor(cleo)).toContainText("Ben adds the numbers.");
  await editor(cleo).click();
  await cleo.keyboard.press("ControlOrMeta+End");
  await cleo.keyboard.press("Enter");
  await cleo.keyboard.type("cleo thinks this could be said better");
  await expect(async () => {
    await cleo.locator(".ProseMirror p").nth(2).click({ clickCount: 3 });
    expect(await cleo.evaluate(() => window.getSelection()?.toString())).toBe("cleo thinks this could be said better");
  }).toPass({ timeout: 15_000 });
  await cleo.keyboard.press("Control+j");
  await cleo.getByRole("menuitem", { name: "Rewrite" }).click();
  await expect(cleo.getByTestId("ai-panel")).toHaveAttribute("data-phase", "done", { timeout: 15_000 });
  await cleo.getByRole("button", { name: "Replace selection" }).click();
  await expect(editor(ana)).toContainText(ANSWER);
  await expect(cleo.getByRole("status")).toHaveText("Saved");

  // Authors: three colours, the AI's hatched, each with its hover text.
  await ana.getByRole("button", { name: "Authors" }).click();
  const legend = ana.getByRole("region", { name: "Authors" });
  await expect(legend.getByRole("listitem")).toHaveText(["Ana", "Ben", "AI (stub-model)"]);
  const run = (text: string) => ana.locator(".ProseMirror .author-run", { hasText: text });
  await expect(run("Ana opens the report.")).toHaveAttribute("title", "Ana (owner)");
  await expect(run("Ben adds the numbers.")).toHaveAttribute("title", "Ben (edit link)");
  await expect(run(ANSWER)).toHaveClass(/author-ai/);
  await expect(run(ANSWER)).toHaveAttribute("title", /^AI \(stub-model\), asked by Cleo, accepted by Cleo, /);
  const colors = await ana
    .locator(".ProseMirror .author-run")
    .evaluateAll((els) => els.map((el) => getComputedStyle(el).getPropertyValue("--author-color").trim()));
  expect(new Set(colors).size).toBe(3);

  // Compare with Ana's draft: Ben's insertion in Ben's colour.
  await ana.getByRole("button", { name: "History" }).click();
  await ana
    .getByRole("list", { name: "Versions" })
    .getByRole("button", { name: /Ana's draft/ })
    .click();
  await ana.getByRole("button", { name: "Compare with current" }).click();
  const compared = ana.getByRole("document", { name: "Compared text" });
  const added = compared.locator("ins", { hasText: "Ben adds the numbers." });
  await expect(added).toBeVisible();
  await expect(added).toHaveCSS("text-decoration-color", "rgb(24, 100, 171)");
  await expect(ana.getByRole("list", { name: "Changes per author" })).toContainText("Ben");

  // The owner turns AI off: the editor's AI button goes, and a raw request is refused.
  await expect(ben.getByRole("button", { name: "AI assist" })).toBeVisible();
  await setPolicy(ana, "AI off");
  await expect(ben.getByRole("button", { name: "AI assist" })).toHaveCount(0);
  expect(await rawAiRequest(server, doc.id, doc.editToken)).toMatchObject({ type: "ai-error", code: "ai-off" });

  for (const p of [ana, ben, cleo]) await p.context().close();
});
