/** The editor as people see it: light, dark, phones, every role, every panel, print.
 * The screenshots land in docs/screenshots/ (EDITOR.md shows them). */
import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { createFromHome, editor, importFromHome, newPage, selectText } from "./support/pages";

const SHOTS = "docs/screenshots";

async function writeSample(page: Page) {
  await editor(page).click();
  await page.keyboard.type("Quarterly plan");
  await page.getByRole("button", { name: "Heading 1" }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("We ship the editor first, then polish what people touch every day.");
  await page.keyboard.press("Enter");
  await page.keyboard.press("ControlOrMeta+Shift+9");
  await page.keyboard.type("Tables and links");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Dark mode and the phone layout");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("ControlOrMeta+Shift+8");
  await page.keyboard.type("First point");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Second point");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("ControlOrMeta+Shift+7");
  await page.keyboard.type("Step one");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Step two");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("ControlOrMeta+Alt+c");
  await page.keyboard.type("const answer = 42; // code stays readable");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  for (let i = 0; i < 30; i++) await page.keyboard.type(`Paragraph ${i + 1} of notes that make the page scroll. \n`);
}

/** The same kinds of content as writeSample, imported in one go. */
const SAMPLE_MARKDOWN = [
  "# Quarterly plan",
  "We ship the editor first, then polish what people touch every day.",
  "- [ ] Tables and links\n- [ ] Dark mode and the phone layout",
  "- First point\n- Second point",
  "1. Step one\n2. Step two",
  "```\nconst answer = 42;\n```",
  ...Array.from({ length: 30 }, (_, i) => `Paragraph ${i + 1} of notes that make the page scroll.`),
].join("\n\n");

/** A person at a viewport size, with a fixed name (and, for the colour test, colour). */
async function person(browser: Browser, name: string, width: number, height: number, color?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  await context.addInitScript(
    ([n, c]) => {
      localStorage.setItem("quire:name", n!);
      if (c) localStorage.setItem("quire:color", c);
    },
    [name, color ?? ""],
  );
  return context.newPage();
}

type Box = { x: number; y: number; width: number; height: number };
const box = async (l: Locator): Promise<Box> => (await l.boundingBox())!;
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Gap between the header's bottom and the sticky bars' top once the page has scrolled. */
async function barsGap(page: Page): Promise<number> {
  await page.mouse.wheel(0, 900);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
  return page.evaluate(() => {
    const header = document.querySelector(".doc-header")!.getBoundingClientRect();
    const bars = document.querySelector(".editor-bars")!.getBoundingClientRect();
    return bars.top - header.bottom;
  });
}

/** A header button, through the header's menu where the row has no room for it. */
async function headerButton(page: Page, name: string | RegExp): Promise<Locator> {
  const button = page.locator(".header-tools").getByRole("button", { name });
  if (!(await button.isVisible())) await page.getByRole("button", { name: /^Menu/ }).click();
  await expect(button).toBeVisible();
  return button;
}

const toolbar = (page: Page) => page.getByRole("toolbar", { name: "Formatting" });
/** The toolbar's buttons on its row (not those left for its More menu). */
const rowButtons = (page: Page) => toolbar(page).locator(".tb-button:not(.tb-out .tb-button, .tb-out)");

test("light, dark and a 360 px phone: sticky bars flush under the header, checkboxes on their line, theme kept", async ({ browser }) => {
  test.setTimeout(120_000);
  const ana = await newPage(browser, "Ana Lima");
  await ana.setViewportSize({ width: 1100, height: 760 });
  const { viewUrl, editUrl } = await createFromHome(ana);
  await writeSample(ana);

  // The checkbox is centred on its text's first line (it sat ~15 px above it).
  const offset = await ana.evaluate(() => {
    const li = document.querySelector('.ProseMirror ul[data-type="taskList"] li')!;
    const box = li.querySelector("input")!.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(li.querySelector("p")!);
    const line = range.getClientRects()[0]!;
    return Math.abs(box.top + box.height / 2 - (line.top + line.height / 2));
  });
  expect(offset).toBeLessThan(4);

  const gap = await barsGap(ana);
  expect(Math.abs(gap)).toBeLessThan(2);
  await ana.evaluate(() => window.scrollTo(0, 0));
  await ana.screenshot({ path: `${SHOTS}/editor-light.png` });
  await ana.emulateMedia({ media: "print" });
  await ana.screenshot({ path: `${SHOTS}/print.png`, fullPage: true });
  await ana.emulateMedia({ media: "screen" });

  // Dark: from the toggle (in the header's menu), kept across a reload, and the paper really is dark.
  await (await headerButton(ana, "Theme: System")).click();
  await ana.getByRole("button", { name: "Theme: Light" }).click();
  await expect(ana.getByRole("button", { name: "Theme: Dark" })).toBeVisible();
  await ana.reload();
  await expect(editor(ana)).toContainText("Paragraph 30");
  await expect(ana.locator("html")).toHaveAttribute("data-theme", "dark");
  const paper = await editor(ana).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(paper).toBe("rgb(28, 30, 34)");
  await ana.screenshot({ path: `${SHOTS}/editor-dark.png` });
  // The owner's share dialog: deleting looks like the danger it is.
  await ana.getByRole("button", { name: "Share" }).click();
  const share = ana.getByRole("dialog", { name: "Share this document" });
  const del = share.getByRole("button", { name: "Delete document" });
  expect(await del.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(
    await share.getByRole("button", { name: "Copy edit link" }).evaluate((el) => getComputedStyle(el).backgroundColor),
  );
  await share.screenshot({ path: `${SHOTS}/share-owner-dark.png` });
  await share.getByRole("button", { name: "Done" }).click();

  // The system's preference is followed when nothing is pinned.
  const ben = await newPage(browser, "Ben");
  await ben.emulateMedia({ colorScheme: "dark" });
  await ben.setViewportSize({ width: 360, height: 740 });
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Paragraph 30");
  // The count covers the content loaded on opening, not only later edits.
  await expect(ben.getByTestId("word-count")).toContainText(/^[1-9][\d,]* words/);
  expect(await editor(ben).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(28, 30, 34)");
  await ben.emulateMedia({ colorScheme: "light" });
  expect(await editor(ben).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 255, 255)");

  // Phone: nothing wider than the screen, the toolbar one row right under the header.
  expect(await ben.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expect(ben.getByRole("textbox", { name: "Document title" })).toBeVisible();
  expect((await box(toolbar(ben))).height).toBeLessThan(50);
  // Styles that live with lazy-loaded parts (dialogs, AI) are there before those load.
  await ben.screenshot({ path: `${SHOTS}/editor-phone.png` });
  expect(Math.abs(await barsGap(ben))).toBeLessThan(2);
  await ben.evaluate(() => window.scrollTo(0, 0));
  // The name field, with its label, and the people are in the header's menu.
  await ben.getByRole("button", { name: /^Menu/ }).click();
  await expect(ben.getByRole("textbox", { name: "Your name" })).toBeVisible();
  const follow = ben.getByRole("button", { name: "Follow Ana Lima" });
  expect(await follow.evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe("none");
  await ben.screenshot({ path: `${SHOTS}/menu-phone.png` });
  await ben.keyboard.press("Escape");

  // Dialogs fit the phone.
  await ben.getByRole("button", { name: "Share" }).click();
  const dialog = ben.getByRole("dialog", { name: "Share this document" });
  const shareBox = await box(dialog);
  expect(shareBox.x).toBeGreaterThanOrEqual(0);
  expect(shareBox.x + shareBox.width).toBeLessThanOrEqual(360);
  await ben.screenshot({ path: `${SHOTS}/share-phone.png` });
  await dialog.getByRole("button", { name: "Done" }).click();

  // The reading view: a clear label, no editing controls.
  const vic = await newPage(browser, "Vic");
  await vic.setViewportSize({ width: 1100, height: 760 });
  await vic.goto(viewUrl);
  await expect(editor(vic)).toContainText("Paragraph 30");
  await expect(vic.getByText("View only")).toBeVisible();
  await expect(toolbar(vic)).toHaveCount(0);
  expect(await vic.locator(".editor-shell").evaluate((el) => getComputedStyle(el).position)).toBe("relative");
  await vic.screenshot({ path: `${SHOTS}/viewer.png` });

  for (const p of [ana, ben, vic]) await p.context().close();
});

test("phones (360 and 390 px): a one-row header, a toolbar of real buttons, every side panel a sheet that leaves the text its width", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const ana = await newPage(browser, "Ana Lima");
  const { editUrl, viewUrl } = await createFromHome(ana);
  await writeSample(ana);
  // A pending suggestion, which everyone is told about and nobody has forced on them.
  await ana.getByRole("button", { name: "Suggesting" }).click();
  await ana.keyboard.press("ControlOrMeta+End");
  await ana.keyboard.type(" A suggested ending.");
  await expect(editor(ana).locator("ins.suggestion")).toContainText("A suggested ending.");

  for (const [width, height] of [
    [360, 740],
    [390, 844],
  ] as const) {
    for (const [role, url] of [
      ["editor", editUrl],
      ["viewer", viewUrl],
    ] as const) {
      const page = await person(browser, `Phone ${role}`, width, height);
      await page.goto(url);
      await expect(editor(page)).toContainText("A suggested ending.");
      const paperWidth = (await box(editor(page))).width;
      expect(paperWidth).toBeGreaterThan(width - 40);

      // The header is one row (it took three, ~190 px): the title, Share and a menu.
      const header = await box(page.locator(".header-row"));
      expect(header.height).toBeLessThan(48);
      expect((await box(page.locator(".doc-header"))).height).toBeLessThan(80);
      await expect(page.getByRole("button", { name: "Share" })).toBeInViewport();
      // The Suggestions panel does not open by itself (it squeezed every phone's text);
      // the menu button's count says there is something to review.
      await expect(page.getByRole("complementary", { name: "Suggestions" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Menu, 1 suggestions" })).toBeVisible();

      if (role === "editor") {
        // One toolbar row with real buttons (it showed about two), the rest in More.
        expect((await box(toolbar(page))).height).toBeLessThan(50);
        expect(await rowButtons(page).count()).toBeGreaterThanOrEqual(6);
        await expect(toolbar(page).getByRole("button", { name: "Bold" })).toBeVisible();
        await toolbar(page).getByRole("button", { name: "More" }).click();
        await expect(page.getByRole("menu", { name: "More" }).getByRole("menuitem", { name: /Table/ })).toBeVisible();
        await page.keyboard.press("Escape");
        await expect(page.getByRole("menu", { name: "More" })).toHaveCount(0);
      }

      for (const [button, panel] of [
        [/^Suggestions/, page.getByRole("complementary", { name: "Suggestions" })],
        [/^Comments/, page.getByRole("complementary", { name: "Comments" })],
        ["History", page.getByRole("complementary", { name: "Version history" })],
        ["Outline", page.getByRole("navigation", { name: "Outline" })],
      ] as const) {
        await (await headerButton(page, button)).click();
        await expect(panel).toBeVisible();
        // A sheet along the bottom, the screen's width; the text keeps its own width.
        const sheet = await box(page.locator(".panel"));
        expect(sheet.x).toBe(0);
        expect(sheet.width).toBe(width);
        expect(Math.abs(sheet.y + sheet.height - height)).toBeLessThan(1.5);
        expect(sheet.y).toBeGreaterThan(height * 0.3);
        expect((await box(editor(page))).width).toBe(paperWidth);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        if (width === 360 && role === "viewer" && button === "History") await page.screenshot({ path: `${SHOTS}/panel-phone.png` });
        // Escape closes it.
        await panel.locator("button").first().focus();
        await page.keyboard.press("Escape");
        await expect(panel).toHaveCount(0);
      }
      await page.context().close();
    }
  }
  await ana.context().close();
});

test("1280 px: one toolbar row holding Suggesting and Comment, whole titles, a one-row header for every role, nothing over the toolbar or the text", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // Everyone's browser picked the same colour: they still show four different ones.
  const ana = await person(browser, "Ana Lima", 1280, 800, "#b04a00");
  await importFromHome(ana, SAMPLE_MARKDOWN);
  await ana.getByRole("button", { name: "Share" }).click();
  const share = ana.getByRole("dialog", { name: "Share this document" });
  const link = (name: string) => share.getByRole("textbox", { name }).inputValue();
  const [editUrl, commentUrl, viewUrl] = [await link("Edit link"), await link("Comment link"), await link("View link")];
  await share.getByRole("button", { name: "Done" }).click();

  const ben = await person(browser, "Ben Ode", 1280, 800, "#b04a00");
  const cat = await person(browser, "Cat Commenter", 1280, 800, "#b04a00");
  const vic = await person(browser, "Vic Viewer", 1280, 800, "#b04a00");
  await ben.goto(editUrl);
  await cat.goto(commentUrl);
  await vic.goto(viewUrl);
  for (const p of [ben, cat, vic]) await expect(editor(p)).toContainText("Paragraph 30");

  // The toolbar is one row in the page's width; Suggesting and Comment are inside it.
  for (const p of [ana, ben]) {
    const bar = await box(toolbar(p));
    expect(bar.height).toBeLessThan(50);
    expect(bar.width).toBeGreaterThanOrEqual(860);
    for (const name of ["Suggesting", "Comment"]) {
      const b = await box(toolbar(p).getByRole("button", { name, exact: true }));
      expect(b.x).toBeGreaterThanOrEqual(bar.x);
      expect(b.x + b.width).toBeLessThanOrEqual(bar.x + bar.width);
    }
  }
  // At 1280 px every formatting button is on the row.
  await expect(toolbar(ben).getByRole("button", { name: "More" })).toBeHidden();

  // The title is whole while there is room ("Untitled docume" before).
  for (const p of [ana, ben, cat, vic]) {
    const title = p.getByRole("textbox", { name: "Document title" });
    const fits = await title.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits).toBe(true);
    expect((await box(title)).width).toBeGreaterThan(150);
  }

  // One header row for every role, also when "Offline" shows (Share sat alone on a second row).
  for (const p of [ana, ben, cat, vic]) expect((await box(p.locator(".header-row"))).height).toBeLessThan(48);
  await cat.context().setOffline(true);
  await expect(cat.getByRole("status").filter({ hasText: "Offline" })).toBeVisible();
  expect((await box(cat.locator(".header-row"))).height).toBeLessThan(48);
  await cat.screenshot({ path: `${SHOTS}/commenter.png` });
  await cat.context().setOffline(false);

  // A commenter's lone Comment button is a button, not a bar across the page.
  const comment = await box(cat.getByRole("button", { name: "Comment", exact: true }));
  expect(comment.width).toBeLessThan(150);

  // Four people, four colours (two were orange).
  await expect(ana.locator(".header-tools .avatar")).toHaveCount(4);
  const colours = () => ana.locator(".header-tools .avatar").evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
  await expect.poll(async () => new Set(await colours()).size).toBe(4);

  // Lists of every kind space their items alike.
  const gaps = await ana.evaluate(() =>
    ["ul:not([data-type])", "ol", 'ul[data-type="taskList"]'].map((sel) => {
      const items = Array.from(document.querySelectorAll(`.ProseMirror ${sel} > li`));
      return Math.round(items[1]!.getBoundingClientRect().top - items[0]!.getBoundingClientRect().bottom);
    }),
  );
  expect(new Set(gaps).size).toBe(1);

  // The word count is under the page, never over its text.
  await ana.mouse.wheel(0, 600);
  const count = await box(ana.getByTestId("word-count"));
  const lines = await editor(ana)
    .locator("p")
    .evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect().toJSON() as DOMRect));
  expect(lines.some((l) => overlaps(count, l))).toBe(false);

  // The outline is a column beside the page, not a popover over the toolbar.
  await ana.evaluate(() => window.scrollTo(0, 0));
  await (await headerButton(ana, "Outline")).click();
  const outline = await box(ana.getByRole("navigation", { name: "Outline" }));
  expect(overlaps(outline, await box(toolbar(ana)))).toBe(false);
  expect(overlaps(outline, await box(editor(ana)))).toBe(false);
  await ana.screenshot({ path: `${SHOTS}/outline.png` });
  await ana.keyboard.press("Escape");

  // Find sits under the toolbar, above the text, both sticking together when scrolled.
  await editor(ana).locator("p").first().click();
  await ana.keyboard.press("ControlOrMeta+f");
  const find = ana.getByRole("search", { name: "Find and replace" });
  await expect(find).toBeVisible();
  for (const y of [0, 900]) {
    await ana.evaluate((top) => window.scrollTo(0, top), y);
    const findBox = await box(find);
    const first = await box(editor(ana).locator("h1"));
    if (y === 0) expect(findBox.y + findBox.height).toBeLessThanOrEqual(first.y);
    expect(overlaps(findBox, await box(toolbar(ana)))).toBe(false);
  }
  await ana.keyboard.press("Escape");

  // With History open the toolbar stays one row (it wrapped to three).
  await ana.evaluate(() => window.scrollTo(0, 0));
  await (await headerButton(ana, "History")).click();
  await expect(ana.getByRole("complementary", { name: "Version history" })).toBeVisible();
  expect((await box(toolbar(ana))).height).toBeLessThan(50);
  expect(overlaps(await box(ana.locator(".panel")), await box(toolbar(ana)))).toBe(false);
  await ana.screenshot({ path: `${SHOTS}/history.png` });

  for (const p of [ana, ben, cat, vic]) await p.context().close();
});

test("dark mode: code blocks are readable", async ({ browser }) => {
  const ana = await person(browser, "Ana", 1100, 760);
  await ana.emulateMedia({ colorScheme: "dark" });
  await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.press("ControlOrMeta+Alt+c");
  await ana.keyboard.type("let x = 1;");
  const [fg, bg] = await editor(ana)
    .locator("pre")
    .evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
  // Was rgb(35, 38, 44) on rgb(31, 35, 40): invisible.
  expect(contrast(fg!, bg!)).toBeGreaterThanOrEqual(7);
  await ana.context().close();
});

test("print: only the document, as every export reads it (pending suggestions not applied), no buttons or panels", async ({ browser }) => {
  const ana = await person(browser, "Ana", 1100, 760);
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Keep this. Drop this. ");
  const ben = await person(browser, "Ben", 1100, 760);
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Drop this.");
  await ben.getByRole("button", { name: "Suggesting" }).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type("Added by Ben.");
  await selectText(ben, "Drop this.");
  await ben.keyboard.press("Backspace");
  await expect(editor(ben).locator("del.suggestion")).toHaveText("Drop this.");
  await (await headerButton(ben, /^Suggestions/)).click();
  await expect(ben.getByRole("complementary", { name: "Suggestions" })).toBeVisible();

  await ben.emulateMedia({ media: "print" });
  for (const hidden of [toolbar(ben), ben.getByRole("complementary", { name: "Suggestions" }), ben.locator(".doc-header .button")]) {
    for (const el of await hidden.all()) await expect(el).toBeHidden();
  }
  // As exports read it: the suggested insertion is not there, the suggested deletion is plain text.
  await expect(editor(ben).locator("ins.suggestion")).toBeHidden();
  const del = editor(ben).locator("del.suggestion");
  await expect(del).toBeVisible();
  expect(await del.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe("none");
  // innerText, unlike textContent, leaves out what the (print) styles hide.
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
  expect(await editor(ben).evaluate((el) => (el as HTMLElement).innerText)).toContain("Keep this. Drop this.");
  for (const p of [ana, ben]) await p.context().close();
});

test("the Suggestions panel is styled when it opens before the comments panel ever has", async ({ browser }) => {
  const ana = await person(browser, "Ana", 1100, 760);
  await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Text. ");
  await ana.keyboard.press("ControlOrMeta+Shift+e");
  await ana.keyboard.type("More");
  await (await headerButton(ana, /^Suggestions/)).click();
  const item = ana.getByRole("complementary", { name: "Suggestions" }).getByRole("listitem").first();
  await expect(item).toBeVisible();
  // Its styles came with comments.css, loaded only with the comments panel.
  const styles = await item.evaluate((el) => [getComputedStyle(el.parentElement!).listStyleType, getComputedStyle(el).borderTopStyle]);
  expect(styles).toEqual(["none", "solid"]);
  await ana.context().close();
});

/** WCAG contrast ratio of two rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map(Number)
      .map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
