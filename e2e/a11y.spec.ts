/** An automated accessibility audit (axe-core) of the editor page: light and dark, as
 * the owner and as a viewer, with each panel and menu open, at 1280 px and on a phone.
 * No serious or critical finding is allowed. The app's Content-Security-Policy forbids
 * the injected audit script, so these browser contexts bypass CSP (only here). */
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { createFromHome, editor } from "./support/pages";

async function person(browser: Browser, name: string, scheme: "light" | "dark", width = 1280, height = 800): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme, viewport: { width, height } });
  await context.addInitScript((n) => localStorage.setItem("quire:name", n), name);
  return context.newPage();
}

/** Serious and critical findings, one line each, readable in a failed expectation. */
async function audit(page: Page, what: string): Promise<string[]> {
  // Animations and transitions settled: colours are read as they end up.
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
  );
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map((n) => `${what}: ${v.id} (${v.impact}) at ${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1]?.trim() ?? ""}`),
    );
}

async function openHeader(page: Page, name: string | RegExp) {
  const button = page.locator(".header-tools").getByRole("button", { name });
  if (!(await button.isVisible())) await page.getByRole("button", { name: /^Menu/ }).click();
  await button.click();
}

async function sample(page: Page) {
  await editor(page).click();
  await page.keyboard.type("Plan");
  await page.keyboard.press("ControlOrMeta+Alt+1");
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Text with a link https://example.com and ");
  await page.keyboard.press("ControlOrMeta+Alt+c");
  await page.keyboard.type("code();");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.press("ControlOrMeta+Shift+9");
  await page.keyboard.type("A task");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  // A pending suggestion, so the Suggestions panel has something to show.
  await page.keyboard.press("ControlOrMeta+Shift+e");
  await page.keyboard.type("Suggested words.");
  await page.keyboard.press("ControlOrMeta+Shift+e");
}

for (const scheme of ["light", "dark"] as const) {
  test(`no serious or critical accessibility findings, ${scheme}: owner and viewer, every panel and menu, wide and phone`, async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const found: string[] = [];
    const owner = await person(browser, "Ana Lima", scheme);
    const { viewUrl } = await createFromHome(owner);
    await sample(owner);
    await expect(owner.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
    found.push(...(await audit(owner, "owner")));

    for (const [button, label] of [
      [/^Comments/, "comments"],
      [/^Suggestions/, "suggestions"],
      ["History", "history"],
      ["Outline", "outline"],
      ["AI activity", "AI activity"],
    ] as const) {
      await openHeader(owner, button);
      await expect(owner.locator(".panel")).toBeVisible();
      found.push(...(await audit(owner, `owner, ${label} open`)));
    }
    await owner.keyboard.press("Escape");
    await owner.getByRole("button", { name: /^Menu/ }).click();
    found.push(...(await audit(owner, "owner, header menu open")));
    await owner.keyboard.press("Escape");
    await owner.setViewportSize({ width: 600, height: 800 });
    await owner.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: "More" }).click();
    found.push(...(await audit(owner, "owner, More menu open")));
    await owner.keyboard.press("Escape");

    const viewer = await person(browser, "Vic", scheme, 390, 844);
    await viewer.goto(viewUrl);
    await expect(editor(viewer)).toContainText("A task");
    found.push(...(await audit(viewer, "viewer, phone")));
    await viewer.getByRole("button", { name: /^Menu/ }).click();
    found.push(...(await audit(viewer, "viewer, phone, menu open")));
    await openHeader(viewer, /^Suggestions/);
    found.push(...(await audit(viewer, "viewer, phone, suggestions open")));

    expect(found).toEqual([]);
    for (const p of [owner, viewer]) await p.context().close();
  });
}
