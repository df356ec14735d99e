/** Links: Ctrl/Cmd+K on a selection, the bubble on a link, the shared allowlist, and a
 * second person seeing every change. */
import { expect, test } from "@playwright/test";
import { createFromHome, docText, editor, newPage, selectText } from "./support/pages";

test("add, refuse, edit and remove a link with Ctrl+K and the link bubble; others see it; viewers can only open", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const vic = await newPage(browser, "Vic");
  const { editUrl, viewUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Read the guide today");
  await ben.goto(editUrl);
  await expect.poll(() => docText(ben)).toContain("Read the guide today");

  // Select "guide" and press Ctrl+K.
  await selectText(ana, "guide");
  await ana.keyboard.press("ControlOrMeta+k");
  const form = ana.getByRole("form", { name: "Link" });
  const address = form.getByRole("textbox", { name: "Link address" });
  await expect(address).toBeFocused();

  // The shared allowlist refuses script addresses; nothing is written.
  await address.fill("javascript:alert(1)");
  await address.press("Enter");
  await expect(form.getByRole("alert")).toContainText("http");
  await expect(editor(ana).locator("a")).toHaveCount(0);

  // A bare domain becomes an https link on exactly the selected word.
  await address.fill("example.com/guide");
  await address.press("Enter");
  await expect(form).toBeHidden();
  const link = editor(ana).locator("a");
  await expect(link).toHaveText("guide");
  await expect(link).toHaveAttribute("href", "https://example.com/guide");
  await expect(editor(ben).locator("a")).toHaveAttribute("href", "https://example.com/guide");

  // Clicking the link shows the bubble: the address, Open in a new tab without opener.
  await link.click();
  const bubble = ana.getByRole("group", { name: "Link actions" });
  await expect(bubble).toContainText("https://example.com/guide");
  const open = bubble.getByRole("link", { name: "Open" });
  await expect(open).toHaveAttribute("target", "_blank");
  await expect(open).toHaveAttribute("rel", "noopener noreferrer");

  // Edit changes the target; the other person sees the new one.
  await bubble.getByRole("button", { name: "Edit" }).click();
  await expect(address).toHaveValue("https://example.com/guide");
  await address.fill("https://example.org/new");
  await address.press("Enter");
  await expect(editor(ben).locator("a")).toHaveAttribute("href", "https://example.org/new");
  await expect(editor(ben).locator("a")).toContainText("guide");

  // A viewer can open the link but not change it.
  await vic.goto(viewUrl);
  await vic.locator(".ProseMirror a").click();
  const vicBubble = vic.getByRole("group", { name: "Link actions" });
  await expect(vicBubble.getByRole("link", { name: "Open" })).toHaveAttribute("href", "https://example.org/new");
  await expect(vicBubble.getByRole("button", { name: "Edit" })).toHaveCount(0);
  expect(vic.url()).toContain(viewUrl.split("#")[0]!);

  // Remove takes the link off, the text stays.
  await link.click();
  await ana.getByRole("group", { name: "Link actions" }).getByRole("button", { name: "Remove" }).click();
  await expect(editor(ben).locator("a")).toHaveCount(0);
  await expect.poll(() => docText(ben)).toContain("Read the guide today");

  // Ctrl+K with nothing selected inserts the address as a link.
  await editor(ana).press("End");
  await ana.keyboard.type(" ");
  await ana.keyboard.press("ControlOrMeta+k");
  await address.fill("mailto:ana@example.com");
  await address.press("Enter");
  await expect(editor(ben).locator("a")).toHaveAttribute("href", "mailto:ana@example.com");
  await expect.poll(() => docText(ben)).toContain("Read the guide today mailto:ana@example.com");

  for (const p of [ana, ben, vic]) await p.context().close();
});
