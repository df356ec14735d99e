/** The editor with the keyboard alone: the toolbar is one Tab stop with arrows inside
 * (WAI-ARIA's toolbar pattern), Escape closes any panel, menu or bar and puts the focus
 * back in the text, Suggesting leaves the focus where typing goes and has a shortcut,
 * and the shortcut list names them all. */
import { expect, type Page, test } from "@playwright/test";
import { startOpenAIStub, type OpenAIStub } from "./support/openai-stub";
import { createDoc, startQuire, type QuireServer } from "./support/server";
import { createFromHome, editor, newPage, selectText } from "./support/pages";

const focusInEditor = (page: Page) => page.evaluate(() => document.activeElement?.classList.contains("ProseMirror") ?? false);
/** The focus is in the text (Tiptap moves it there on the next frame: wait for it). */
const expectInEditor = (page: Page) => expect.poll(() => focusInEditor(page)).toBe(true);
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? "";
  });
const toolbar = (page: Page) => page.getByRole("toolbar", { name: "Formatting" });

test("Suggesting: clicking it leaves the focus in the text, Mod-Shift-E toggles it, and the shortcut list has it and Mod-Alt-M", async ({
  browser,
}) => {
  const ana = await newPage(browser, "Ana");
  await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Hello ");
  const suggesting = toolbar(ana).getByRole("button", { name: "Suggesting" });
  await suggesting.click();
  await expect(suggesting).toHaveAttribute("aria-pressed", "true");
  // Typing goes on in the text, as a suggestion (it went nowhere: the button kept the focus).
  await expectInEditor(ana);
  await ana.keyboard.type("world");
  await expect(editor(ana).locator("ins.suggestion")).toHaveText("world");

  await ana.keyboard.press("ControlOrMeta+Shift+e");
  await expect(suggesting).toHaveAttribute("aria-pressed", "false");
  await ana.keyboard.type("!");
  await expect(editor(ana).locator("ins.suggestion")).toHaveText("world");
  // Not taken for Mod-E (inline code) as well, as ProseMirror does with a shifted letter.
  await expect(editor(ana).locator("code")).toHaveCount(0);
  await ana.keyboard.press("ControlOrMeta+Shift+e");
  await expect(suggesting).toHaveAttribute("aria-pressed", "true");

  await ana.keyboard.press("ControlOrMeta+/");
  const help = ana.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help.getByRole("row", { name: /Comment on the selection/ })).toContainText("Alt+M");
  await expect(help.getByRole("row", { name: /Suggesting on or off/ })).toContainText("Shift+E");
  await ana.context().close();
});

test("the toolbar is one Tab stop: arrows, Home and End move inside, Tab goes on to the text, Escape goes back to it", async ({
  browser,
}) => {
  const ana = await newPage(browser, "Ana");
  await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Some words");

  // Tab from the element before the toolbar lands on its first button, and one more Tab in the text.
  await ana.getByRole("button", { name: "Share" }).focus();
  await ana.keyboard.press("Tab");
  expect(await focusedName(ana)).toBe("Undo");
  await ana.keyboard.press("Tab");
  await expectInEditor(ana);

  // Back: Shift+Tab from the text lands on the toolbar again, on the button last used.
  await ana.keyboard.press("Shift+Tab");
  expect(await focusedName(ana)).toBe("Undo");
  await ana.keyboard.press("ArrowRight");
  expect(await focusedName(ana)).toBe("Redo");
  await ana.keyboard.press("ArrowLeft");
  await ana.keyboard.press("ArrowLeft");
  // Wraps around to the last.
  expect(await focusedName(ana)).toBe("Comment");
  await ana.keyboard.press("Home");
  expect(await focusedName(ana)).toBe("Undo");
  await ana.keyboard.press("End");
  expect(await focusedName(ana)).toBe("Comment");
  // Exactly one button of the toolbar is in the Tab order.
  const stops = await toolbar(ana).evaluate((el) => Array.from(el.querySelectorAll("button")).filter((b) => b.tabIndex === 0).length);
  expect(stops).toBe(1);

  // A button works from the keyboard and the focus goes to the text to type on.
  await editor(ana).press("ControlOrMeta+a");
  await ana.getByRole("button", { name: "Share" }).focus();
  await ana.keyboard.press("Tab");
  for (let i = 0; i < 10 && (await focusedName(ana)) !== "Bold"; i++) await ana.keyboard.press("ArrowRight");
  expect(await focusedName(ana)).toBe("Bold");
  await ana.keyboard.press("Enter");
  await expect(editor(ana).locator("strong")).toHaveText("Some words");
  await expectInEditor(ana);

  // Escape in the toolbar goes back to the text.
  await ana.keyboard.press("Shift+Tab");
  expect(await focusedName(ana)).toBe("Bold");
  await ana.keyboard.press("Escape");
  await expectInEditor(ana);
  await ana.context().close();
});

test("a narrow toolbar's More menu: arrows, choosing runs the item, Escape goes back to the text", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await ana.setViewportSize({ width: 480, height: 800 });
  await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Quote me");
  const more = toolbar(ana).getByRole("button", { name: "More" });
  await more.focus();
  await ana.keyboard.press("Enter");
  const menu = ana.getByRole("menu", { name: "More" });
  await expect(menu).toBeVisible();
  // The first item has the focus; ArrowUp wraps to the last.
  await ana.keyboard.press("ArrowUp");
  await expect(menu.locator("[role^=menuitem]").last()).toBeFocused();
  await ana.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expectInEditor(ana);

  await more.focus();
  await ana.keyboard.press("ArrowDown");
  await menu.getByRole("menuitemcheckbox", { name: /Quote/ }).focus();
  await ana.keyboard.press("Enter");
  await expect(editor(ana).locator("blockquote")).toHaveText("Quote me");
  await expectInEditor(ana);
  await ana.context().close();
});

test("Escape closes every side panel and the header's menu, and the focus is back in the text", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("A heading");
  await ana.keyboard.press("ControlOrMeta+Alt+1");
  await ana.keyboard.press("ControlOrMeta+Shift+e");
  await ana.keyboard.type("!");

  for (const [button, panel] of [
    [/^Comments/, ana.getByRole("complementary", { name: "Comments" })],
    [/^Suggestions/, ana.getByRole("complementary", { name: "Suggestions" })],
    ["History", ana.getByRole("complementary", { name: "Version history" })],
    ["Outline", ana.getByRole("navigation", { name: "Outline" })],
  ] as const) {
    await ana.locator(".header-tools").getByRole("button", { name: button }).click();
    await expect(panel).toBeVisible();
    await panel.getByRole("button").first().focus();
    await ana.keyboard.press("Escape");
    await expect(panel).toHaveCount(0);
    await expectInEditor(ana);
  }

  await ana.getByRole("button", { name: /^Menu/ }).click();
  await ana.getByRole("button", { name: /^Theme/ }).focus();
  await ana.keyboard.press("Escape");
  await expect(ana.getByRole("button", { name: /^Theme/ })).toBeHidden();
  await expectInEditor(ana);
  await ana.context().close();
});

test("find: Escape closes the bar after Replace all (the focus had fallen to the page)", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("cat and cat");
  await ana.keyboard.press("ControlOrMeta+f");
  const bar = ana.getByRole("search", { name: "Find and replace" });
  await bar.getByRole("textbox", { name: "Find" }).fill("cat");
  await bar.getByRole("textbox", { name: "Replace with" }).fill("dog");
  await bar.getByRole("button", { name: "Replace all" }).click();
  await expect(editor(ana)).toHaveText("dog and dog");
  await ana.keyboard.press("Escape");
  await expect(bar).toHaveCount(0);
  await expectInEditor(ana);
  await ana.context().close();
});

test.describe("AI", () => {
  let stub: OpenAIStub;
  let server: QuireServer;
  test.beforeAll(async () => {
    stub = await startOpenAIStub();
    server = await startQuire({ env: { OPENAI_BASE_URL: stub.url, AI_MODEL: "stub-model" } });
  });
  test.afterAll(async () => {
    await server?.stop();
    await stub?.close();
  });

  test("Escape closes the AI answer with the focus on its buttons, and on the AI menu, and the focus is back in the text", async ({
    browser,
  }) => {
    stub.configure({ text: "A better sentence.", chunkChars: 4, chunkDelayMs: 5 });
    const doc = await createDoc(server);
    const ana = await newPage(browser, "Ana");
    await ana.goto(doc.editUrl);
    await editor(ana).click();
    await ana.keyboard.type("A plain sentence.");
    await selectText(ana, "A plain sentence.");

    // The menu: Escape closes it.
    await ana.keyboard.press("ControlOrMeta+j");
    await expect(ana.getByRole("menu", { name: "AI assist" })).toBeVisible();
    await ana.keyboard.press("Escape");
    await expect(ana.getByRole("menu", { name: "AI assist" })).toHaveCount(0);
    await expectInEditor(ana);

    // The answer: with the focus on Discard, Escape discards it.
    await ana.keyboard.press("ControlOrMeta+j");
    await ana.getByRole("menuitem", { name: "Rewrite" }).click();
    const answer = ana.getByTestId("ai-panel");
    await expect(answer).toHaveAttribute("data-phase", "done", { timeout: 15_000 });
    await answer.getByRole("button", { name: "Discard" }).focus();
    await ana.keyboard.press("Escape");
    await expect(answer).toHaveCount(0);
    await expectInEditor(ana);
    await expect(editor(ana)).toHaveText("A plain sentence.");
    await ana.context().close();
  });
});
