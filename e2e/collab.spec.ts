import { expect, test } from "@playwright/test";
import { createFromHome, docText, editor, newPage } from "./support/pages";

test.beforeEach(async ({ request }) => {
  await expect((await request.get("/api/health")).ok()).toBeTruthy();
});

test("two people co-edit, see each other's named caret, and reach Saved", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  expect(editUrl).toMatch(/\/d\/[A-Za-z0-9_-]{22}#edit=[A-Za-z0-9_-]{43}$/);

  await editor(ana).click();
  await ana.keyboard.type("Hello from Ana.");
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Hello from Ana.");
  // The token left the address bar once it was stored.
  expect(ben.url()).not.toContain("#edit=");

  // Flow control: Ben's tab echoes the server's read checks (else it would be dropped
  // once 8 MiB behind). A fresh socket gets one with its first broadcast.
  const checks: string[] = [];
  const acks: string[] = [];
  const idOf = (payload: string | Buffer, type: string): string | null => {
    const m =
      typeof payload === "string" && payload.startsWith("__YPS:") ? /"type":"([a-z-]+)","id":"([A-Za-z0-9_-]+)"/.exec(payload) : null;
    return m?.[1] === type ? m[2]! : null;
  };
  ben.on("websocket", (ws) => {
    ws.on("framereceived", ({ payload }) => void ((id) => id && checks.push(id))(idOf(payload, "read-check")));
    ws.on("framesent", ({ payload }) => void ((id) => id && acks.push(id))(idOf(payload, "read-ack")));
  });
  await ben.reload();
  await expect(editor(ben)).toContainText("Hello from Ana.");
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type(" And Ben.");
  await expect(editor(ana)).toContainText("Hello from Ana. And Ben.");
  await expect.poll(() => checks.length).toBeGreaterThan(0);
  await expect.poll(() => acks).toEqual(checks);

  // Each sees the other's caret, labelled with their name, and their avatar.
  await expect(ana.locator(".collaboration-carets__label", { hasText: "Ben" })).toBeVisible();
  await expect(ben.locator(".collaboration-carets__label", { hasText: "Ana" })).toBeVisible();
  await expect(ana.getByRole("list", { name: "People in this document" }).getByRole("listitem")).toHaveCount(2);

  await expect(ana.getByRole("status")).toHaveText("Saved");
  await expect(ben.getByRole("status")).toHaveText("Saved");

  // After a reload everything is still there: it came back from the server.
  await ben.reload();
  await expect.poll(() => docText(ben)).toBe("Hello from Ana. And Ben.");
});

test("a view link shows the document live but cannot change it", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const vic = await newPage(browser, "Vic");
  const { viewUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Read me.");
  await vic.goto(viewUrl);
  await expect(vic.getByText("View only")).toBeVisible();
  await expect(editor(vic)).toContainText("Read me.");
  await expect(editor(vic)).toHaveAttribute("contenteditable", "false");
  await expect(vic.getByRole("toolbar", { name: "Formatting" })).toHaveCount(0);
  await editor(vic).click();
  await vic.keyboard.type("VANDAL");
  await ana.keyboard.type(" Still mine.");
  await expect(editor(vic)).toContainText("Read me. Still mine.");
  await expect(editor(ana)).not.toContainText("VANDAL");
  // The viewer appears in presence, marked as viewing, without a caret.
  await expect(ana.getByRole("listitem", { name: /Vic · viewing/ })).toBeVisible();
  await expect(ana.locator(".collaboration-carets__label", { hasText: "Vic" })).toHaveCount(0);
});

test("the title is shared live and undo only reverts your own typing", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  await ben.goto(editUrl);
  await ana.getByRole("textbox", { name: "Document title" }).fill("Quarterly plan");
  await expect(ben.getByRole("textbox", { name: "Document title" })).toHaveValue("Quarterly plan");
  await expect(ben).toHaveTitle(/Quarterly plan/);

  await editor(ana).click();
  await ana.keyboard.type("Ana wrote this.");
  await expect(editor(ben)).toContainText("Ana wrote this.");
  await editor(ben).click();
  await ben.keyboard.press("ControlOrMeta+End");
  await ben.keyboard.type(" Ben too.");
  await expect(editor(ana)).toContainText("Ana wrote this. Ben too.");

  await ana.getByRole("button", { name: "Undo" }).click();
  await expect(editor(ana)).not.toContainText("Ana wrote this.");
  await expect(editor(ana)).toContainText("Ben too.");
  await expect(editor(ben)).not.toContainText("Ana wrote this.");
  await ana.getByRole("button", { name: "Redo" }).click();
  await expect(editor(ben)).toContainText("Ana wrote this. Ben too.");
});

test("formatting from the toolbar and keyboard shortcuts", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await createFromHome(ana);
  await editor(ana).click();
  await ana.getByRole("button", { name: "Heading 1" }).click();
  await ana.keyboard.type("Big title");
  await ana.keyboard.press("Enter");
  await ana.keyboard.press("ControlOrMeta+b");
  await ana.keyboard.type("strong");
  await expect(editor(ana).locator("h1")).toHaveText("Big title");
  await expect(editor(ana).locator("strong")).toHaveText("strong");
  await expect(ana.getByRole("button", { name: "Bold" })).toHaveAttribute("aria-pressed", "true");
});

test("recent documents are listed on the home page", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await createFromHome(ana);
  await ana.getByRole("textbox", { name: "Document title" }).fill("My notes");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  await ana.goto("/");
  const recent = ana.getByRole("list", { name: "Recent documents" });
  await expect(recent.getByRole("link", { name: /My notes/ })).toBeVisible();
  await recent.getByRole("link", { name: /My notes/ }).click();
  await expect(ana.getByRole("textbox", { name: "Document title" })).toHaveValue("My notes");
});

test("a wrong link shows a clear error instead of an empty editor", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const { editUrl } = await createFromHome(ana);
  const stranger = await newPage(browser, "Sam");
  await stranger.goto(editUrl.replace(/#edit=.*/, `#edit=${"x".repeat(43)}`));
  await expect(stranger.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await stranger.goto(editUrl.replace(/\/d\/[^#]+#/, "/d/AAAAAAAAAAAAAAAAAAAAAA#"));
  await expect(stranger.getByRole("heading", { name: "This document doesn't exist or was deleted" })).toBeVisible();
});
