/**
 * Content and schema in the browser: imported Markdown with a block image and a table
 * survives editing and reloading; content this version cannot render pauses editing
 * without touching what is stored; a title that is not a string reads as untitled.
 */
import { getSchema } from "@tiptap/core";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import * as Y from "yjs";
import { YDOC_META_MAP, YDOC_META_TITLE } from "../shared/api";
import { schemaExtensions } from "../shared/schema";
import { docText, editor, importFromHome, newPage, shareLinks } from "./support/pages";
import { recordSentFrames } from "./support/sent-frames";

const schema = getSchema(schemaExtensions());
const PAUSED = "This document has content this version can't show. Editing is paused; nothing was lost.";

const MARKDOWN = [
  "# Field notes",
  "",
  "Intro paragraph before the picture.",
  "",
  "![the Quire logo](/favicon.svg)",
  "",
  "| Bird | Count |",
  "| ---- | ----: |",
  "| Wren | 3 |",
  "| **Kite** | 12 |",
  "",
  "Closing paragraph.",
].join("\n");

/** The id and a token of the document a page shows, from a share link. */
function idAndToken(url: string): { id: string; token: string } {
  const m = /\/d\/([A-Za-z0-9_-]+)#(?:owner|edit|view)=([A-Za-z0-9_-]+)/.exec(url);
  if (!m) throw new Error(`not a share link: ${url}`);
  return { id: m[1]!, token: m[2]! };
}

/** The stored document as ProseMirror JSON, checked against the editor schema. */
async function storedJson(request: APIRequestContext, url: string): Promise<{ type: string; content: { type: string }[] }> {
  const { id, token } = idAndToken(url);
  const res = await request.get(`/api/docs/${id}/export?format=json`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(200);
  const json = (await res.json()) as { type: string; content: { type: string }[] };
  expect(() => schema.nodeFromJSON(json).check()).not.toThrow();
  return json;
}

test.beforeEach(async ({ request }) => {
  await expect((await request.get("/api/health")).ok()).toBeTruthy();
});

test("imported Markdown with a block image and a table survives typing and a reload elsewhere", async ({ browser, request }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const ownerUrl = await importFromHome(ana, MARKDOWN);
  await expect(ana.getByRole("textbox", { name: "Document title" })).toHaveValue("Field notes");

  // The editor shows every block (a blank page here meant the import was unreadable).
  await expect(editor(ana).locator("img[src='/favicon.svg']")).toBeVisible();
  await expect(editor(ana).locator("table th")).toHaveText(["Bird", "Count"]);
  await expect(editor(ana).locator("table td")).toHaveText(["Wren", "3", "Kite", "12"]);
  await expect(editor(ana).locator("table td strong")).toHaveText("Kite");

  // Typing does not wipe the document.
  await editor(ana).locator("p", { hasText: "Closing paragraph." }).click();
  await ana.keyboard.press("End");
  await ana.keyboard.type(" Typed by Ana.");
  await editor(ana).locator("td", { hasText: "Wren" }).click();
  await ana.keyboard.press("End");
  await ana.keyboard.type(" (juvenile)");
  await expect(ana.getByRole("status")).toHaveText("Saved");

  // A second browser opens it fresh: everything is there.
  const { editUrl } = await shareLinks(ana);
  await ben.goto(editUrl);
  await expect(editor(ben).locator("img[src='/favicon.svg']")).toHaveAttribute("alt", "the Quire logo");
  await expect(editor(ben).locator("table td")).toHaveText(["Wren (juvenile)", "3", "Kite", "12"]);
  const text = await docText(ben);
  for (const part of ["Field notes", "Intro paragraph before the picture.", "Bird", "Count", "Closing paragraph. Typed by Ana."]) {
    expect(text).toContain(part);
  }
  await ben.reload();
  await expect(editor(ben).locator("table td")).toHaveText(["Wren (juvenile)", "3", "Kite", "12"]);

  // The stored document is valid for the schema, with the image and the table in it.
  const json = await storedJson(request, ownerUrl);
  expect(json.content.map((n) => n.type)).toEqual(["heading", "paragraph", "image", "table", "paragraph"]);
  await ana.context().close();
  await ben.context().close();
});

/** Delivers a Yjs update inside the page as if the server had sent it, through the
 * page's test hook (client/src/collab/debug-handle.ts). */
function deliver(page: Page, update: number[]): Promise<void> {
  return page.evaluate(
    (u) => (window as unknown as { quireDebug: { applyRemoteUpdate(u: number[]): void } }).quireDebug.applyRemoteUpdate(u),
    update,
  );
}

/** A Yjs update from another client that adds a node this editor does not know. */
function unknownNodeUpdate(): number[] {
  const doc = new Y.Doc();
  const widget = new Y.XmlElement("fancyWidgetFromTheFuture");
  widget.insert(0, [new Y.XmlText("content from a newer version")]);
  doc.getXmlFragment("default").insert(0, [widget]);
  return Array.from(Y.encodeStateAsUpdate(doc));
}

test("content this version cannot render pauses editing and changes nothing stored", async ({ browser, request }) => {
  const ana = await newPage(browser, "Ana");
  // Document updates this tab sends (y-websocket sync messages start with byte 0;
  // awareness, byte 1, and text frames are not content), recorded in the page.
  const frames = await recordSentFrames(ana);
  const ownerUrl = await importFromHome(ana, "# Kept\n\nEvery word here stays.\n\n| a | b |\n|---|---|\n| 1 | 2 |");
  await editor(ana).locator("p").first().click();
  await ana.keyboard.press("End");
  await ana.keyboard.type(" Typed.");
  await expect(ana.getByRole("status")).toHaveText("Saved");
  const before = await storedJson(request, ownerUrl);
  // The record is live: the typing above is in it.
  expect((await frames.read()).some((f) => f.type === 0 && f.sub === 2)).toBe(true);
  await frames.clear();

  // The server refuses such an update on the wire, so deliver it as the provider would.
  await deliver(ana, unknownNodeUpdate());

  await expect(ana.getByRole("alert")).toHaveText(PAUSED);
  await expect(editor(ana)).toHaveAttribute("contenteditable", "false");
  await expect(ana.getByRole("button", { name: "Bold" })).toBeDisabled();
  await expect(editor(ana)).toContainText("Every word here stays. Typed.");
  await editor(ana).click();
  await ana.keyboard.type("NOT WRITTEN");
  await expect(editor(ana)).not.toContainText("NOT WRITTEN");

  // Nothing was deleted or written back: the server's copy is as it was. The record is
  // read after the keystrokes were handled, so anything they sent is in it.
  expect((await frames.read()).filter((f) => f.type === 0)).toEqual([]);
  expect(await storedJson(request, ownerUrl)).toEqual(before);

  // This device's copy (IndexedDB) keeps the new content. After a reload the tab offers
  // the server the node it has and the server lacks; the server refuses it (4422), the
  // tab stops and says so, and drops its copy, so the next visit starts from what is
  // stored. Either way nothing stored is deleted.
  await ana.reload();
  await expect(ana.getByRole("alert")).toContainText(/can't show|was refused/);
  // Barrier: the server has read what the tab offered, refused it and closed the socket,
  // so nothing from this tab is still on its way.
  await expect(ana.getByRole("alert")).toContainText("was refused");
  const after = (await storedJson(request, ownerUrl)).content.map((b) => JSON.stringify(b));
  let found = 0;
  for (const block of after) if (block === JSON.stringify(before.content[found])) found += 1;
  expect(found, "every block stored before is still stored, in order").toBe(before.content.length);
  await ana.context().close();
});

test("a title that is not a string reads as untitled instead of blanking the page", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  await importFromHome(ana, "# Named\n\nBody text.");
  await expect(ana.getByRole("textbox", { name: "Document title" })).toHaveValue("Named");
  const update = (() => {
    const doc = new Y.Doc();
    // The highest client id wins a concurrent map write, so this one replaces the title.
    doc.clientID = 0xffffffff;
    doc.getMap(YDOC_META_MAP).set(YDOC_META_TITLE, 42);
    return Array.from(Y.encodeStateAsUpdate(doc));
  })();
  await deliver(ana, update);
  await expect(ana.getByRole("textbox", { name: "Document title" })).toHaveValue("");
  await expect(ana).toHaveTitle("Untitled document · Quire");
  await expect(editor(ana)).toContainText("Body text.");
  await ana.context().close();
});
