/**
 * The home page's document list: this browser's documents with their current titles,
 * role and last opened; while checking, and what became of each (deleted elsewhere, a
 * link that no longer works, not checked while offline), with no failed request for
 * any of it; Remove (with Undo) and, for the owner, Delete behind a confirmation.
 */
import { type APIRequestContext, expect, test, type Page } from "@playwright/test";
import { editor, newPage } from "./support/pages";

interface Created {
  id: string;
  ownerToken: string;
  ownerUrl: string;
  editUrl: string;
  commentUrl: string;
  viewUrl: string;
}

async function createDoc(request: APIRequestContext, title: string): Promise<Created> {
  const res = await request.post("/api/docs", { data: { title } });
  expect(res.status()).toBe(201);
  return (await res.json()) as Created;
}

const owner = (doc: Created) => ({ authorization: `Bearer ${doc.ownerToken}` });

/** Console errors, failed requests and 4xx/5xx answers on a page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`failed: ${new URL(r.url()).pathname}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${new URL(r.url()).pathname}`);
  });
  return problems;
}

const list = (page: Page) => page.getByRole("list", { name: "Recent documents" });
const item = (page: Page, title: string) => list(page).getByRole("listitem").filter({ hasText: title });
const checked = (page: Page) => expect(page.getByRole("region", { name: "Your documents" })).toHaveAttribute("aria-busy", "false");

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(editor(page)).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
}

test("an empty list says how documents get there", async ({ browser }) => {
  const page = await newPage(browser, "New");
  await page.goto("/");
  await expect(page.getByText("No documents yet. Create one, or open a link someone shared with you")).toBeVisible();
  await expect(list(page)).toHaveCount(0);
});

test("lists each document with its current title, role and last opened; says which are deleted or whose link no longer works; no failed request", async ({
  browser,
  request,
}) => {
  const docs = {
    owned: await createDoc(request, "Owned plan"),
    edited: await createDoc(request, "Draft"),
    commented: await createDoc(request, "Review me"),
    viewed: await createDoc(request, "Read me"),
  };
  const pia = await newPage(browser, "Pia");
  const problems = watch(pia);
  await open(pia, docs.owned.ownerUrl);
  await pia.keyboard.press("Escape"); // the owner link dialog
  await open(pia, docs.edited.editUrl);
  await open(pia, docs.commented.commentUrl);
  await open(pia, docs.viewed.viewUrl);

  // While the list is checked with the server, it says so.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await pia.route("**/api/docs/*/access", async (route) => {
    await held;
    await route.continue();
  });
  // Renamed elsewhere since Pia last opened it: the list shows the title as it is now.
  await request.patch(`/api/docs/${docs.edited.id}`, { headers: owner(docs.edited), data: { title: "Draft, renamed" } });
  await pia.goto("/");
  await expect(pia.getByText("Checking your documents…")).toBeVisible();
  await expect(pia.getByRole("region", { name: "Your documents" })).toHaveAttribute("aria-busy", "true");
  release();
  await checked(pia);
  await expect(pia.getByText("Checking your documents…")).toHaveCount(0);
  await pia.unroute("**/api/docs/*/access");

  await expect(list(pia).getByRole("listitem")).toHaveCount(4);
  // Most recently opened first.
  await expect(list(pia).getByRole("listitem").first()).toContainText("Read me");
  await expect(item(pia, "Owned plan")).toContainText("Owner · opened just now");
  await expect(item(pia, "Draft, renamed")).toContainText("Can edit · opened just now");
  await expect(item(pia, "Review me")).toContainText("Can comment · opened just now");
  await expect(item(pia, "Read me")).toContainText("View only · opened just now");
  // Only the owner may delete; anyone may take a document off the list.
  await expect(item(pia, "Owned plan").getByRole("button", { name: "Delete Owned plan" })).toBeVisible();
  for (const title of ["Draft, renamed", "Review me", "Read me"]) {
    await expect(item(pia, title).getByRole("button", { name: /^Delete/ })).toHaveCount(0);
    await expect(item(pia, title).getByRole("button", { name: `Remove ${title} from this list` })).toBeVisible();
  }

  // Deleted by its owner elsewhere, and a link reset: shown as such, still without failed requests.
  await request.delete(`/api/docs/${docs.viewed.id}`, { headers: owner(docs.viewed) });
  await request.post(`/api/docs/${docs.commented.id}/links/comment/rotate`, { headers: owner(docs.commented) });
  await pia.reload();
  await checked(pia);
  await expect(item(pia, "Read me")).toContainText("Deleted");
  await expect(item(pia, "Review me")).toContainText("Link no longer works");
  await expect(item(pia, "Owned plan")).not.toContainText("Deleted");
  // Opening them says the same.
  await item(pia, "Review me").getByRole("link").click();
  await expect(pia.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await expect(pia.getByText("this comment link")).toBeVisible();
  await pia.goto(`/d/${docs.viewed.id}`);
  await expect(pia.getByRole("heading", { name: "This document was deleted" })).toBeVisible();
  await pia.goto("/");
  await checked(pia);
  await expect(item(pia, "Review me")).toContainText("Link no longer works");
  await expect(item(pia, "Read me")).toContainText("Deleted");
  expect(problems).toEqual([]);
});

test("Remove takes a document off the list (Undo puts it back); the owner deletes one for everyone after confirming", async ({
  browser,
  request,
}) => {
  const kept = await createDoc(request, "Keep me");
  const doomed = await createDoc(request, "Delete me");
  const ana = await newPage(browser, "Ana");
  await open(ana, kept.viewUrl);
  await open(ana, doomed.ownerUrl);
  await ana.keyboard.press("Escape");
  const ben = await newPage(browser, "Ben");
  await open(ben, doomed.editUrl);

  await ana.goto("/");
  await checked(ana);
  await item(ana, "Keep me").getByRole("button", { name: "Remove Keep me from this list" }).click();
  await expect(item(ana, "Keep me")).toHaveCount(0);
  const notice = ana.getByRole("status").filter({ hasText: "Removed “Keep me” from this list." });
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect(item(ana, "Keep me")).toContainText("View only");
  // Removing forgets nothing else: the document still opens from its address.
  await item(ana, "Keep me")
    .getByRole("button", { name: /^Remove/ })
    .click();
  await ana.goto(`/d/${kept.id}`);
  await expect(editor(ana)).toBeVisible();
  await ana.goto("/");
  await checked(ana);

  // Delete asks first; Cancel keeps the document.
  await item(ana, "Delete me").getByRole("button", { name: "Delete Delete me" }).click();
  const confirm = item(ana, "Delete me").getByRole("group", { name: "Confirm delete" });
  await expect(confirm).toContainText("Delete “Delete me” for everyone?");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await item(ana, "Delete me").getByRole("button", { name: "Delete Delete me" }).click();
  await confirm.getByRole("button", { name: "Delete for everyone" }).click();
  await expect(ana.getByRole("status").filter({ hasText: "“Delete me” was deleted for everyone." })).toBeVisible();
  await expect(item(ana, "Delete me")).toHaveCount(0);
  // Gone for everyone, at once.
  await expect(ben.getByRole("heading", { name: "This document was deleted" })).toBeVisible();
  expect((await request.get(`/api/docs/${doomed.id}/access`, { headers: owner(doomed) })).ok()).toBe(true);
  expect(await (await request.get(`/api/docs/${doomed.id}/access`, { headers: owner(doomed) })).json()).toEqual({ access: "deleted" });
});

test("offline, the list shows what it last knew and says it could not check", async ({ browser, request }) => {
  const doc = await createDoc(request, "Offline notes");
  const page = await newPage(browser, "Oli");
  await open(page, doc.viewUrl);
  await page.goto("/");
  await checked(page);
  // The app shell is cached by the service worker on the first visit.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.context().setOffline(true);
  await page.reload();
  await checked(page);
  await expect(item(page, "Offline notes")).toContainText("View only");
  await expect(item(page, "Offline notes")).not.toContainText("Deleted");
  await expect(page.getByText("Some documents could not be checked (offline?)")).toBeVisible();
});
