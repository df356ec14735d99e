import { chromium } from "@playwright/test";
const BASE = "http://127.0.0.1:8931";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
async function person(name, color, opts = {}) {
  const ctx = await browser.newContext(opts);
  await ctx.addInitScript(([n, c]) => { localStorage.setItem("quire:name", n); localStorage.setItem("quire:color", c); }, [name, color]);
  return ctx.newPage();
}
const ana = await person("Ana", "#c92a2a");
await ana.goto(BASE + "/");
await ana.getByRole("button", { name: "New document" }).click();
const dlg = ana.getByRole("dialog", { name: "Your owner link" });
const ownerUrl = await dlg.getByRole("textbox", { name: "Owner link" }).inputValue();
await dlg.getByRole("button", { name: "I saved it" }).click();
await ana.getByRole("button", { name: "Share" }).click();
const share = ana.getByRole("dialog", { name: "Share this document" });
const editUrl = await share.getByRole("textbox", { name: "Edit link" }).inputValue();
await share.getByRole("button", { name: "Done" }).click();
const ed = (p) => p.getByRole("textbox", { name: "Document content" });
await ed(ana).click();
await ana.keyboard.type("The quarterly plan covers three areas of work for the team.");
await ana.keyboard.press("Enter");
await ana.keyboard.type("Budget stays as agreed in March.");
await ana.getByText("Saved").waitFor();
const ben = await person("Ben", "#1864ab");
await ben.goto(editUrl);
await ed(ben).getByText("Budget stays").waitFor();
await ana.getByRole("button", { name: "History" }).click();
await ana.getByRole("textbox", { name: "Version name" }).fill("Draft 1");
await ana.getByRole("button", { name: "Name this version" }).click();
await ana.getByRole("list", { name: "Versions" }).getByRole("button", { name: /Draft 1/ }).waitFor();
await ed(ben).click();
await ben.keyboard.press("ControlOrMeta+End");
for (let i = 0; i < 6; i++) await ben.keyboard.press("Backspace");
await ben.keyboard.type("revised in June.");
await ben.keyboard.press("Enter");
await ben.keyboard.type("Hiring is paused until the review.");
await ben.getByText("Saved").waitFor();
await ed(ana).getByText("Hiring is paused").waitFor({ state: "attached" });
await ana.getByRole("list", { name: "Versions" }).getByRole("button", { name: /Draft 1/ }).click();
await ana.getByRole("button", { name: "Compare with current" }).click();
await ana.getByRole("document", { name: "Compared text" }).locator("ins").first().waitFor();
await ana.screenshot({ path: "/tmp/compare-light.png" });
// dark + phone: open the owner link in new contexts
for (const [file, opts] of [["/tmp/compare-dark.png", { colorScheme: "dark" }], ["/tmp/compare-phone.png", { viewport: { width: 360, height: 740 } }]]) {
  const p = await person("Ana", "#c92a2a", opts);
  await p.goto(ownerUrl);
  await ed(p).getByText("Hiring").waitFor();
  await p.screenshot({ path: file.replace(".png", "-pre.png") });
  const hist = p.getByRole("button", { name: "History" });
  if (!(await hist.isVisible())) await p.getByRole("button", { name: /^Menu/ }).click();
  await p.locator(".header-tools").getByRole("button", { name: "History" }).click();
  await p.getByRole("list", { name: "Versions" }).getByRole("button", { name: /Draft 1/ }).click();
  await p.getByRole("button", { name: "Compare with current" }).click();
  await p.getByRole("document", { name: "Compared text" }).locator("ins").first().waitFor();
  await p.screenshot({ path: file, fullPage: false });
  if (file.includes("phone")) {
    // keyboard: tab through to the picker
    await p.keyboard.press("Tab");
    await p.screenshot({ path: "/tmp/compare-phone2.png", fullPage: true });
  }
}
await browser.close();
