import { expect, test } from "@playwright/test";
import { createFromHome, docText, editor, newPage } from "./support/pages";

test("offline edits are kept on the device, survive a reload, and merge on reconnect", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Start.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  await ben.goto(editUrl);
  await expect.poll(() => docText(ben)).toBe("Start.");

  // Reopening offline needs the service worker installed (its install precaches the app
  // shell): wait for it, as a page opened seconds before the network goes would not have it.
  await ana.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await ana.context().setOffline(true);
  await expect(ana.getByRole("status")).toHaveText("Offline — changes kept on this device");
  await editor(ana).click();
  await ana.keyboard.press("ControlOrMeta+End");
  await ana.keyboard.type(" Ana offline.");
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+Home");
  await ben.keyboard.type("Ben online. ");
  await expect.poll(() => docText(ben)).toBe("Ben online. Start.");
  expect(await docText(ana)).toBe("Start. Ana offline.");

  // Reopening while offline shows the device's copy (app shell from the service worker).
  await ana.reload();
  await expect.poll(() => docText(ana)).toBe("Start. Ana offline.");
  await expect(ana.getByRole("status")).toHaveText("Offline — changes kept on this device");

  await ana.context().setOffline(false);
  await expect.poll(() => docText(ana), { timeout: 20_000 }).toBe("Ben online. Start. Ana offline.");
  await expect.poll(() => docText(ben)).toBe("Ben online. Start. Ana offline.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
});
