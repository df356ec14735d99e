/**
 * Tokens from links are trusted only once the server confirms them: a crafted link
 * (`#owner=<junk>`, made by anyone who knows the id from an edit or view link) must not
 * cost the owner their stored owner token, which is shown only once.
 */
import { expect, test, type Page } from "@playwright/test";
import { createFromHome, docText, editor, newPage } from "./support/pages";

const JUNK = "J".repeat(43);

const docId = (page: Page) => new URL(page.url()).pathname.split("/").pop()!;
const stored = (page: Page, key: string) => page.evaluate((k) => localStorage.getItem(k), key);

async function expectOwnerControls(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: "Share this document" });
  await expect(dialog.getByRole("button", { name: "Turn off edit link" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Reset view link" })).toBeEnabled();
  await expect(dialog.getByRole("button", { name: /Delete/ })).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
}

test("a crafted #owner= link does not replace the owner's token", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await createFromHome(ana);
  const id = docId(ana);
  const tokensKey = `quire:tokens:${id}`;
  const before = await stored(ana, tokensKey);
  expect(JSON.parse(before!).owner).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await editor(ana).click();
  await ana.keyboard.type("Mine.");
  await expect(ana.getByRole("status")).toHaveText("Saved");

  // Opened afresh, as a link someone sent.
  await ana.goto("/");
  await ana.goto(`/d/${id}#owner=${JUNK}`);
  await expect.poll(() => docText(ana)).toBe("Mine.");
  expect(new URL(ana.url()).hash).toBe("");
  await expectOwnerControls(ana);
  expect(await stored(ana, tokensKey)).toBe(before);
  await expect.poll(() => stored(ana, `quire:unverified-tokens:${id}`)).toBeNull();

  // Pasted into the address bar while the document is open (only the fragment changes).
  await ana.evaluate((junk) => (location.hash = `owner=${junk}`), JUNK);
  await expect.poll(() => stored(ana, `quire:unverified-tokens:${id}`)).toBeNull();
  await ana.reload();
  await expect.poll(() => docText(ana)).toBe("Mine.");
  await expectOwnerControls(ana);
  expect(await stored(ana, tokensKey)).toBe(before);
});

test("a link opened offline on a new device opens once the network returns, and its token is then confirmed", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Shared text.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  const id = docId(ana);

  const ben = await newPage(browser, "Ben");
  // The app shell is cached by the service worker on the first visit.
  await ben.goto("/");
  await ben.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await ben.context().setOffline(true);
  await ben.goto(editUrl);
  await expect(ben.getByText("You need a link to open this document")).toHaveCount(0);
  await expect(ben.getByRole("status")).toHaveText("Offline — changes kept on this device");
  const pending = JSON.parse((await stored(ben, `quire:unverified-tokens:${id}`))!) as Record<string, string>;
  expect(pending.edit).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await stored(ben, `quire:tokens:${id}`)).toBeNull();

  await ben.context().setOffline(false);
  await expect.poll(() => docText(ben), { timeout: 20_000 }).toBe("Shared text.");
  await expect.poll(() => stored(ben, `quire:tokens:${id}`)).toBe(JSON.stringify({ edit: pending.edit }));
  expect(await stored(ben, `quire:unverified-tokens:${id}`)).toBeNull();
});
