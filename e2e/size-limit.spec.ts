/**
 * A change too large for the document (issue 22 #9): the server refuses it with 4413 and
 * its writer is told, once. The change can never be sent (an undo keeps its content for
 * redo, so the update would not shrink), so the page stops dialling, keeps the text
 * aside, and after a reload continues from the saved document with the text offered
 * back. Before, the page redialled and was refused again at once, for ever.
 */
import { expect, test } from "@playwright/test";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../shared/api";
import { MAX_DOCUMENT_BYTES } from "../shared/limits";
import { editor, newPage } from "./support/pages";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";
import { YClient } from "./support/yclient";

let server: QuireServer;
test.beforeAll(async () => {
  server = await startQuire();
});
test.afterAll(async () => {
  await server?.stop();
});

const LINE = "Filler text that brings the document close to its size limit. ";

test("a paste past the size limit is refused once, kept aside, and offered back after a reload", async ({ browser }) => {
  test.setTimeout(120_000);
  const doc = await createDoc(server);
  let chars = 0;
  const filler = await YClient.open(docUrl(server, doc.id, doc.editToken));
  // Up to ~70 KB under the limit, in updates well under the frame limit.

  const target = MAX_DOCUMENT_BYTES - 70 * 1024;
  while (chars < target) {
    filler.doc.transact(() => {
      const blocks: Y.XmlElement[] = [];
      for (let i = 0; i < 100 && chars < target; i++) {
        const p = new Y.XmlElement("paragraph");
        p.insert(0, [new Y.XmlText(`${LINE.repeat(30)}${chars}`)]);
        blocks.push(p);
        chars += LINE.length * 30;
      }
      filler.doc.getXmlFragment(YDOC_CONTENT_FIELD).push(blocks);
    });
    await filler.saved(30_000);
  }
  filler.doc.getXmlFragment(YDOC_CONTENT_FIELD).push([new Y.XmlElement("paragraph")]);
  await filler.saved(30_000);

  const ana = await newPage(browser, "Ana");
  let sockets = 0;
  ana.on("websocket", (ws) => {
    if (ws.url().includes("/parties/document/")) sockets += 1;
  });
  await ana.goto(doc.editUrl.replace(/^https?:\/\/[^/]+/, server.http));
  await expect(ana.getByRole("status").filter({ hasText: "Saved" })).toBeVisible({ timeout: 30_000 });
  await editor(ana).locator("p").last().click();
  const pasted = `TOO-LARGE ${"y".repeat(150 * 1024)}`;
  await editor(ana).evaluate((el, text) => {
    const dt = new DataTransfer();
    dt.setData("text/plain", text);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, pasted);

  await expect(ana.getByRole("heading", { name: "Your last change was too large for this document" })).toBeVisible({ timeout: 30_000 });
  // Refused once: the page did not dial again.
  expect(sockets).toBe(1);
  // Nothing of it reached the document.
  expect(filler.doc.getXmlFragment(YDOC_CONTENT_FIELD).toString()).not.toContain("TOO-LARGE");

  await ana.getByRole("button", { name: "Reload" }).click();
  await expect(ana.getByText("A change from this browser was too large for this document")).toBeVisible({ timeout: 30_000 });
  await expect(ana.getByRole("status").filter({ hasText: "Saved" })).toBeVisible({ timeout: 30_000 });
  expect(await editor(ana).textContent()).not.toContain("TOO-LARGE");
  await ana.getByRole("button", { name: "Show my unsaved changes" }).click();
  await expect(ana.getByRole("dialog")).toContainText("TOO-LARGE");

  filler.ws.close();
  await ana.context().close();
});
