/**
 * Sharing in the browser with three people (owner, editor, viewer), each in their own
 * browser context: the share dialog, read-only mode, link resets that cut a live
 * editor, follow mode, and deletion.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createFromHome, dismissOwnerLink, editor, newPage, shareLinks } from "./support/pages";

/** A person whose page records when each of its WebSockets closed, and with what code. */
async function recordedPage(browser: Browser, name: string): Promise<Page> {
  const page = await newPage(browser, name);
  await page.context().addInitScript(() => {
    const closes: { code: number; at: number }[] = [];
    const fetches: { url: string; at: number }[] = [];
    (window as unknown as { __wsCloses: typeof closes }).__wsCloses = closes;
    (window as unknown as { __fetches: typeof fetches }).__fetches = fetches;
    const nativeFetch = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      fetches.push({ url: String(input instanceof Request ? input.url : input), at: Date.now() });
      return nativeFetch(input, init);
    };
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener("close", (e) => closes.push({ code: e.code, at: Date.now() }));
      }
    };
  });
  return page;
}

const fetchesFrom = (page: Page) => page.evaluate(() => (window as unknown as { __fetches: { url: string; at: number }[] }).__fetches);
const wsCloses = (page: Page) => page.evaluate(() => (window as unknown as { __wsCloses: { code: number; at: number }[] }).__wsCloses);

const docId = (url: string) => new URL(url).pathname.split("/").pop()!;
/** Names of the IndexedDB databases (offline document copies) this page's origin holds. */
const localCopies = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

test.beforeEach(async ({ request }) => {
  await expect((await request.get("/api/health")).ok()).toBeTruthy();
});

test("share dialog: owner link shown once, copy with feedback, rename live, no owner controls for editors", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await ana.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const { editUrl, ownerUrl } = await createFromHome(ana);
  expect(ownerUrl).toMatch(/\/d\/[A-Za-z0-9_-]{22}#owner=[A-Za-z0-9_-]{43}$/);
  // Once: a reload does not show it again.
  await ana.reload();
  await expect(editor(ana)).toBeVisible();
  await expect(ana.getByRole("dialog", { name: "Your owner link" })).toHaveCount(0);

  await ana.getByRole("button", { name: "Share" }).click();
  const dialog = ana.getByRole("dialog", { name: "Share this document" });
  await expect(dialog.getByText("Anyone with the link can edit")).toBeVisible();
  await expect(dialog.getByText("Anyone with the link can view")).toBeVisible();
  await dialog.getByRole("button", { name: "Copy edit link" }).click();
  await expect(dialog.getByRole("button", { name: "Copied!" })).toBeVisible();
  expect(await ana.evaluate(() => navigator.clipboard.readText())).toBe(editUrl);
  await expect(dialog.getByRole("button", { name: "Copy edit link" })).toBeVisible(); // feedback goes away

  const ben = await newPage(browser, "Ben");
  await ben.goto(editUrl);
  await expect(editor(ben)).toBeVisible();
  await dialog.getByRole("textbox", { name: "Document name" }).fill("Launch plan");
  await dialog.getByRole("button", { name: "Rename" }).click();
  await expect(ben.getByRole("textbox", { name: "Document title" })).toHaveValue("Launch plan");
  await expect(ben).toHaveTitle(/Launch plan/);
  await dialog.getByRole("button", { name: "Done" }).click();

  // An editor sees the link they have, but cannot reset, switch off or delete.
  await ben.getByRole("button", { name: "Share" }).click();
  const bens = ben.getByRole("dialog", { name: "Share this document" });
  await expect(bens.getByRole("textbox", { name: "Edit link" })).toHaveValue(editUrl);
  await expect(bens.getByText("Only the document’s owner can reset or turn off links.")).toBeVisible();
  await expect(bens.getByRole("button", { name: /Reset|Turn off|Delete/ })).toHaveCount(0);
  await expect(bens.getByRole("textbox", { name: "Document name" })).toHaveCount(0);
});

test("owner, editor, viewer: read-only viewer; resetting the edit link cuts the editor within a second", async ({ browser }) => {
  const ana = await recordedPage(browser, "Ana");
  const ben = await recordedPage(browser, "Ben");
  const vic = await newPage(browser, "Vic");
  await vic.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const { editUrl, viewUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Shared text.");

  await ben.goto(editUrl);
  await vic.goto(viewUrl);
  await expect(editor(ben)).toContainText("Shared text.");

  // The viewer: badge, no caret, toolbar off, typing does nothing, copying works, shown as viewing.
  await expect(vic.getByText("View only")).toBeVisible();
  await expect(editor(vic)).toContainText("Shared text.");
  await expect(editor(vic)).toHaveAttribute("contenteditable", "false");
  // A reading view: no editing controls at all, rather than a row of disabled ones.
  await expect(vic.getByRole("toolbar", { name: "Formatting" })).toHaveCount(0);
  for (const name of ["Bold", "Heading 1", "Bullet list", "AI assist"]) {
    await expect(vic.getByRole("button", { name })).toHaveCount(0);
  }
  await expect(vic.getByRole("textbox", { name: "Document title" })).toHaveAttribute("readonly", "");
  await editor(vic).click();
  await vic.keyboard.type("VANDAL");
  await editor(vic).locator("p").first().selectText();
  await vic.keyboard.press("ControlOrMeta+c");
  await expect.poll(() => vic.evaluate(() => navigator.clipboard.readText())).toContain("Shared text.");
  await expect(ana.getByRole("listitem", { name: /Vic · viewing/ })).toBeVisible();
  await expect(ana.locator(".collaboration-carets__label", { hasText: "Vic" })).toHaveCount(0);
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type(" Ben adds.");
  await expect(editor(ana)).toContainText("Shared text. Ben adds.");
  await expect(editor(ana)).not.toContainText("VANDAL");

  // The owner resets the edit link while Ben is connected.
  await ana.getByRole("button", { name: "Share" }).click();
  const dialog = ana.getByRole("dialog", { name: "Share this document" });
  const before = await wsCloses(ben);
  const clickedAt = Date.now();
  await dialog.getByRole("button", { name: "Reset edit link" }).click();
  await expect(ben.getByRole("heading", { name: "This link no longer works" })).toBeVisible({ timeout: 1000 });
  await expect.poll(() => localCopies(ben)).not.toContain(`quire:${docId(editUrl)}`);
  const cut = (await wsCloses(ben)).slice(before.length);
  expect(cut.map((c) => c.code)).toEqual([4403]);
  const latency = cut[0]!.at - clickedAt;
  const sent = (await fetchesFrom(ana)).find((f) => f.url.endsWith("/links/edit/rotate"))!;
  console.log(
    `reset → editor's socket closed (4403): ${cut[0]!.at - sent.at} ms after the owner's browser sent the request, ` +
      `${latency} ms after the test clicked (includes Playwright's input dispatch)`,
  );
  expect(latency).toBeLessThan(1000);
  await expect(dialog.getByRole("status")).toContainText("New edit link ready");
  const newEditUrl = await dialog.getByRole("textbox", { name: "Edit link" }).inputValue();
  expect(newEditUrl).not.toBe(editUrl);

  // Owner and viewer were not touched.
  await dialog.getByRole("button", { name: "Done" }).click();
  await editor(ana).click();
  await ana.keyboard.press("ControlOrMeta+End");
  await ana.keyboard.type(" Owner still here.");
  await expect(editor(vic)).toContainText("Owner still here.");

  // The old link stays dead after a reload; the new one works.
  await ben.goto(editUrl);
  await expect(ben.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await expect(ben.getByRole("link", { name: "Go to your documents" })).toBeVisible();
  await ben.goto(newEditUrl);
  await expect(editor(ben)).toContainText("Owner still here.");

  // Turning the view link off cuts the viewer too.
  await ana.getByRole("button", { name: "Share" }).click();
  await dialog.getByRole("button", { name: "Turn off view link" }).click();
  await expect(vic.getByRole("heading", { name: "This link no longer works" })).toBeVisible({ timeout: 1000 });
  await expect(dialog.getByText("View link is off", { exact: true })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Turn on view link" })).toBeVisible();
  await expect(editor(ben)).toBeVisible();
});

test("follow a collaborator: the view jumps to their caret and stops when you scroll", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  // A long document, imported from Markdown on the home page.
  await ana.goto("/");
  await ana.getByRole("button", { name: "Import Markdown" }).click();
  const paragraphs = Array.from({ length: 80 }, (_, i) => `Paragraph ${i + 1} of a long document.`);
  await ana.getByRole("textbox", { name: "Markdown text" }).fill(`# Long read\n\n${paragraphs.join("\n\n")}`);
  await ana.getByRole("button", { name: "Create document" }).click();
  await dismissOwnerLink(ana);
  await expect(ana.getByRole("textbox", { name: "Document title" })).toHaveValue("Long read");
  await expect(editor(ana).locator("p")).toHaveCount(80);
  const { editUrl } = await shareLinks(ana);

  await ben.goto(editUrl);
  await expect(editor(ben).locator("p")).toHaveCount(80);
  await editor(ben).locator("p").last().click();
  await ben.keyboard.press("End");
  await ben.keyboard.type(" Ben writes here.");
  await expect(editor(ana)).toContainText("Ben writes here.");
  const bensCaret = ana.locator(".collaboration-carets__label", { hasText: "Ben" });
  await expect(bensCaret).toHaveCount(1);
  await expect(bensCaret).not.toBeInViewport();

  await ana.getByRole("button", { name: "Follow Ben" }).click();
  await expect(ana.getByRole("status").filter({ hasText: "Following Ben" })).toBeVisible();
  await expect(bensCaret).toBeInViewport();

  // Ben moves to the top; the follower's view goes with him.
  await ben.keyboard.press("ControlOrMeta+Home");
  await ben.keyboard.type("Top: ");
  await expect(editor(ana)).toContainText("Top: ");
  await expect(bensCaret).toBeInViewport();
  await expect.poll(() => ana.evaluate(() => window.scrollY)).toBeLessThan(200);

  // Ana scrolls herself: following ends.
  await ana.mouse.move(600, 400);
  await ana.mouse.wheel(0, 1500);
  await expect(ana.getByText("Following Ben")).toHaveCount(0);
  await expect(ana.getByRole("button", { name: "Follow Ben" })).toHaveAttribute("aria-pressed", "false");
});

test("deleting shows the gone page to the others, and their document list marks it", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const vic = await newPage(browser, "Vic");
  const { editUrl, viewUrl } = await createFromHome(ana);
  await ana.getByRole("textbox", { name: "Document title" }).fill("Short-lived");
  await ben.goto(editUrl);
  await vic.goto(viewUrl);
  await expect(ben.getByRole("textbox", { name: "Document title" })).toHaveValue("Short-lived");
  await expect(vic.getByRole("textbox", { name: "Document title" })).toHaveValue("Short-lived");

  await ana.getByRole("button", { name: "Share" }).click();
  const dialog = ana.getByRole("dialog", { name: "Share this document" });
  await dialog.getByRole("button", { name: "Delete document" }).click();
  await expect(dialog.getByText(/Delete “Short-lived” for everyone\?/)).toBeVisible();
  await dialog.getByRole("button", { name: "Delete for everyone" }).click();

  for (const page of [ben, vic]) {
    await expect(page.getByRole("heading", { name: "This document was deleted" })).toBeVisible({ timeout: 2000 });
    // The offline copy on their devices is gone too.
    await expect.poll(() => localCopies(page)).not.toContain(`quire:${docId(viewUrl)}`);
  }
  // The owner lands on the home page; the document left the list.
  await expect(ana.getByRole("heading", { name: "Quire" })).toBeVisible();
  await expect(ana.getByRole("list", { name: "Recent documents" }).getByText("Short-lived")).toHaveCount(0);

  // The others' lists show it as gone, and it can be removed.
  await ben.getByRole("link", { name: "Go to your documents" }).click();
  const item = ben.getByRole("list", { name: "Recent documents" }).getByRole("listitem").filter({ hasText: "Short-lived" });
  await expect(item).toContainText("Deleted");
  await item.getByRole("button", { name: /Remove/ }).click();
  await expect(item).toHaveCount(0);
  // Opening it again shows the same page, not an empty editor.
  await vic.goto(viewUrl);
  await expect(vic.getByRole("heading", { name: "This document was deleted" })).toBeVisible();
});

test("the home page lists documents with role and last opened, refreshed from the server", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { viewUrl } = await createFromHome(ana);
  await ana.getByRole("textbox", { name: "Document title" }).fill("Minutes");
  await ben.goto(viewUrl);
  await expect(ben.getByRole("textbox", { name: "Document title" })).toHaveValue("Minutes");
  // Renamed after Ben last opened it: his list shows the current title from the server.
  await ana.getByRole("textbox", { name: "Document title" }).fill("Minutes, final");
  await ben.goto("/");
  const bens = ben.getByRole("list", { name: "Recent documents" });
  await expect(bens.getByRole("link", { name: /Minutes, final/ })).toContainText("View only · opened just now");
  await ana.goto("/");
  await expect(ana.getByRole("list", { name: "Recent documents" }).getByRole("link", { name: /Minutes, final/ })).toContainText("Owner");
});

test("the owner link in another browser shows the same share links, which keep working; resetting the owner link keeps them too", async ({
  browser,
}) => {
  const ana = await newPage(browser, "Ana");
  const { ownerUrl } = await createFromHome(ana);
  await ana.getByRole("button", { name: "Share" }).click();
  const anas = ana.getByRole("dialog", { name: "Share this document" });
  const links = {
    edit: await anas.getByRole("textbox", { name: "Edit link" }).inputValue(),
    comment: await anas.getByRole("textbox", { name: "Comment link" }).inputValue(),
    view: await anas.getByRole("textbox", { name: "View link" }).inputValue(),
  };
  await anas.getByRole("button", { name: "Done" }).click();

  // The same owner on another device: a fresh browser that has only the owner link.
  const other = await newPage(browser, "Ana elsewhere");
  await other.goto(ownerUrl);
  await expect(editor(other)).toBeVisible();
  await other.getByRole("button", { name: "Share" }).click();
  const dialog = other.getByRole("dialog", { name: "Share this document" });
  await expect(dialog.getByRole("textbox", { name: "Edit link" })).toHaveValue(links.edit);
  await expect(dialog.getByRole("textbox", { name: "Comment link" })).toHaveValue(links.comment);
  await expect(dialog.getByRole("textbox", { name: "View link" })).toHaveValue(links.view);
  await expect(dialog.getByText(/does not have the current|Reset it to see it/)).toHaveCount(0);

  // Nothing was reset to show them: the links already shared still open the document.
  const ben = await newPage(browser, "Ben");
  await ben.goto(links.edit);
  await editor(ben).click();
  await ben.keyboard.type("Ben was here.");
  await expect(editor(ana)).toContainText("Ben was here.");

  // The owner link itself is reset from the other browser: the first browser is no longer
  // the owner, the other reopens with the new owner link to save, and every share link stays.
  await dialog.getByRole("button", { name: "Reset owner link" }).click();
  await dialog.getByRole("group", { name: "Confirm owner link reset" }).getByRole("button", { name: "Reset owner link" }).click();
  await expect(ana.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await expect(ana.getByText("This owner link was reset")).toBeVisible();
  const newOwnerUrl = await dismissOwnerLink(other);
  expect(newOwnerUrl).not.toBe(ownerUrl);
  await expect(editor(other)).toContainText("Ben was here.");
  await other.getByRole("button", { name: "Share" }).click();
  await expect(dialog.getByRole("textbox", { name: "Edit link" })).toHaveValue(links.edit);
  await expect(dialog.getByRole("textbox", { name: "View link" })).toHaveValue(links.view);
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type(" Still here.");
  await expect(editor(other)).toContainText("Ben was here. Still here.");
  // The first browser still holds the share links it was given at creation: it opens with those.
  await ana.getByRole("button", { name: /Open with your other link/ }).click();
  await expect(editor(ana)).toContainText("Ben was here. Still here.");
  await ana.getByRole("button", { name: "Share" }).click();
  await expect(anas.getByText("Only the document’s owner can reset or turn off links.")).toBeVisible();
});
