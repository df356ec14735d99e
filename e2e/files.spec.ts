/**
 * Images and exports in the browser: an image added by the toolbar button, pasted as a
 * file and pasted as a data: URL in HTML is uploaded (a placeholder shows meanwhile,
 * only to its uploader), stored as a file reference, and seen by a second editor and
 * through the view link; every export format downloads from the header's menu (the
 * DOCX unzips and holds the text and the image); print leaves only the document.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { createFromHome, docText, editor, newPage } from "./support/pages";
import { png } from "./support/images";

const RED = png(120, 60, [220, 40, 40]);
const GREEN = png(40, 40, [40, 160, 60]);
const BLUE = png(30, 90, [40, 80, 220]);
const YELLOW = png(70, 20, [230, 200, 30]);
const SHOTS = "test-results/files";

function idOf(url: string): string {
  const m = /\/d\/([A-Za-z0-9_-]+)#/.exec(url);
  if (!m) throw new Error(`not a share link: ${url}`);
  return m[1]!;
}

/** Every image in the editor, with whether it loaded and where from. */
const images = (page: Page) =>
  editor(page)
    .locator("figure.quire-image img")
    .evaluateAll((imgs) =>
      (imgs as HTMLImageElement[]).map((i) => ({
        src: i.getAttribute("src") ?? "",
        alt: i.alt,
        loaded: i.complete && i.naturalWidth > 0,
        width: i.naturalWidth,
      })),
    );

/** Dispatches a paste of `files` and/or `html` on the editor, as the browser would. */
async function paste(target: Locator, data: { files?: { name: string; type: string; base64: string }[]; html?: string }): Promise<void> {
  await target.evaluate((el, d) => {
    const dt = new DataTransfer();
    for (const f of d.files ?? []) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    if (d.html) dt.setData("text/html", d.html);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, data);
}

test.beforeEach(async ({ request }) => {
  await expect((await request.get("/api/health")).ok()).toBeTruthy();
});

test("images added by button, file paste, data: paste and drop reach a second editor and the view link, as file references", async ({
  browser,
  request,
}) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl, viewUrl, ownerUrl } = await createFromHome(ana);
  const id = idOf(editUrl);
  await ben.goto(editUrl);
  await expect(editor(ben)).toBeVisible();

  await editor(ana).click();
  await ana.keyboard.type("Before the pictures.");
  await ana.keyboard.press("Enter");

  // Button: hold the upload so the placeholder can be seen, by Ana only.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await ana.route(`**/api/docs/${id}/files`, async (route) => {
    await held;
    await route.continue();
  });
  const chooser = ana.waitForEvent("filechooser");
  await ana.getByRole("button", { name: "Image" }).click();
  await (await chooser).setFiles({ name: "red.png", mimeType: "image/png", buffer: RED });
  const placeholder = editor(ana).locator(".image-upload-placeholder");
  await expect(placeholder).toContainText("Uploading red.png…");
  await ana.screenshot({ path: `${SHOTS}/uploading.png` });
  // Not content: the other editor and the stored document never see it. Barrier: a
  // title change Ana makes afterwards reaches Ben, so anything she sent before has too.
  const focused = await ana.evaluateHandle(() => document.activeElement as HTMLElement | null);
  await ana.getByRole("textbox", { name: "Document title" }).fill("Pictures");
  await expect(ben.getByRole("textbox", { name: "Document title" })).toHaveValue("Pictures");
  await focused.evaluate((el) => el?.focus());
  await expect(editor(ben).locator(".image-upload-placeholder")).toHaveCount(0);
  expect(await docText(ben)).not.toContain("Uploading");
  const started = Date.now();
  release();
  await expect(placeholder).toHaveCount(0);
  await expect.poll(async () => (await images(ana)).filter((i) => i.loaded).length).toBe(1);
  console.log(`button upload: image shown ${Date.now() - started} ms after the request was let through`);
  await ana.unroute(`**/api/docs/${id}/files`);

  // A pasted file, then HTML holding a data: image (uploaded, never inlined).
  await ana.keyboard.press("End");
  await paste(editor(ana), { files: [{ name: "green.png", type: "image/png", base64: GREEN.toString("base64") }] });
  await expect.poll(async () => (await images(ana)).filter((i) => i.loaded).length).toBe(2);
  await paste(editor(ana), { html: `<p>Pasted words</p><img src="data:image/png;base64,${BLUE.toString("base64")}">` });
  await expect.poll(async () => (await images(ana)).filter((i) => i.loaded).length).toBe(3);
  await expect(editor(ana)).toContainText("Pasted words");

  // A dropped file lands where it is dropped (the end of the document here).
  await editor(ana).evaluate((el, b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], "dropped.png", { type: "image/png" }));
    const box = el.getBoundingClientRect();
    el.dispatchEvent(
      new DragEvent("drop", { dataTransfer: dt, clientX: box.left + 40, clientY: box.bottom - 10, bubbles: true, cancelable: true }),
    );
  }, YELLOW.toString("base64"));
  await expect.poll(async () => (await images(ana)).filter((i) => i.loaded).length).toBe(4);

  // Alt text from the image's panel.
  await editor(ana).locator("figure.quire-image img").first().click();
  const alt = editor(ana).getByRole("textbox", { name: "Alt text" });
  await expect(alt).toBeVisible();
  await ana.screenshot({ path: `${SHOTS}/image-selected.png` });
  await alt.fill("A red rectangle");
  await alt.press("Enter");
  await editor(ana).getByRole("combobox", { name: "Image width" }).first().selectOption("240");
  await expect(ana.getByRole("status").filter({ hasText: /^Saved$/ })).toBeVisible();

  // Ben sees all four, loaded through this document's file addresses.
  await expect.poll(async () => (await images(ben)).filter((i) => i.loaded).length).toBe(4);
  const seen = await images(ben);
  for (const img of seen) expect(img.src).toMatch(new RegExp(`^/api/docs/${id}/files/[A-Za-z0-9_-]{22}\\?key=[A-Za-z0-9_-]{43}$`));
  expect(seen.map((i) => i.width)).toEqual([120, 40, 30, 70]);
  await expect(editor(ben).locator("img[alt='A red rectangle']")).toHaveCSS("width", "240px");

  // The stored document references files; nothing inline, no placeholder.
  const token = /#owner=([A-Za-z0-9_-]+)/.exec(ownerUrl)![1]!;
  const json = (await (
    await request.get(`/api/docs/${id}/export?format=json`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { content: { type: string; attrs?: { src?: string; alt?: string | null } }[] };
  const stored = json.content.filter((n) => n.type === "image");
  expect(stored).toHaveLength(4);
  for (const n of stored) expect(n.attrs?.src).toMatch(new RegExp(`^/api/docs/${id}/files/[A-Za-z0-9_-]{22}$`));
  expect(stored.map((n) => n.attrs?.alt)).toContain("A red rectangle");
  expect(JSON.stringify(json)).not.toContain("data:");

  // A viewer sees them too, and cannot add any.
  const carl = await newPage(browser, "Carl");
  await carl.goto(viewUrl);
  await expect.poll(async () => (await images(carl)).filter((i) => i.loaded).length).toBe(4);
  await expect(carl.getByRole("button", { name: "Image" })).toHaveCount(0);
  await carl.screenshot({ path: `${SHOTS}/viewer.png` });

  for (const p of [ana, ben, carl]) await p.context().close();
});

test("every export format downloads from the header menu; the DOCX holds the text and the image; print shows only the document", async ({
  browser,
}) => {
  const ana = await newPage(browser, "Ana");
  await createFromHome(ana);
  await ana.getByRole("textbox", { name: "Document title" }).fill("Trip: notes/plan");
  await editor(ana).click();
  await ana.keyboard.type("# Packing list");
  await ana.keyboard.press("Enter");
  await ana.keyboard.type("- boots");
  await ana.keyboard.press("Enter");
  await ana.keyboard.type("map");
  await ana.keyboard.press("Enter");
  await ana.keyboard.press("Enter");
  await paste(editor(ana), { files: [{ name: "red.png", type: "image/png", base64: RED.toString("base64") }] });
  await expect.poll(async () => (await images(ana)).filter((i) => i.loaded).length).toBe(1);
  await expect(ana.getByRole("status").filter({ hasText: /^Saved$/ })).toBeVisible();

  const download = async (item: string) => {
    await ana.getByRole("button", { name: "Export" }).click();
    const menu = ana.getByRole("menu", { name: "Export" });
    await expect(menu).toBeVisible();
    const started = ana.waitForEvent("download");
    await menu.getByRole("menuitem", { name: item }).click();
    const d = await started;
    return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
  };

  const docx = await download("Word (.docx)");
  expect(docx.name).toBe("Trip notes plan.docx");
  const files = unzipSync(new Uint8Array(docx.bytes));
  const xml = strFromU8(files["word/document.xml"]!);
  expect(xml).toMatch(/Heading1.*Packing list/s);
  expect(xml).toContain("boots");
  expect(xml).toContain("map");
  expect(
    Object.keys(files)
      .filter((f) => f.startsWith("word/media/"))
      .map((f) => Buffer.from(files[f]!).equals(RED)),
  ).toEqual([true]);

  const md = await download("Markdown (.md)");
  expect(md.name).toBe("Trip notes plan.md");
  expect(md.bytes.toString()).toMatch(
    /# Packing list\n\n- boots\n- map\n\n!\[\]\(http:\/\/127\.0\.0\.1:\d+\/api\/docs\/[^)]+\/files\/[A-Za-z0-9_-]{22}\?key=[A-Za-z0-9_-]{43}\)/,
  );
  const html = await download("Web page (.html)");
  expect(html.name).toBe("Trip notes plan.html");
  expect(html.bytes.toString()).toMatch(
    /<h1>Packing list<\/h1>.*<li><p>boots<\/p><\/li>.*<img src="http:\/\/127\.0\.0\.1:\d+\/api\/docs\/[^"]+\?key=/s,
  );
  const txt = await download("Plain text (.txt)");
  expect(txt.name).toBe("Trip notes plan.txt");
  expect(txt.bytes.toString()).toContain("Packing list\n\nboots\nmap");

  // Print: the menu calls the browser's print; the print stylesheet hides the chrome.
  await ana.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await ana.getByRole("button", { name: "Export" }).click();
  await ana.getByRole("menuitem", { name: "Print / Save as PDF" }).click();
  expect(await ana.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await ana.emulateMedia({ media: "print" });
  await expect(ana.getByRole("toolbar", { name: "Formatting" })).toBeHidden();
  await expect(ana.getByRole("button", { name: "Share" })).toBeHidden();
  await expect(ana.getByRole("button", { name: "Export" })).toBeHidden();
  await expect(ana.getByRole("textbox", { name: "Document title" })).toBeVisible();
  await expect(editor(ana)).toContainText("Packing list");
  await ana.screenshot({ path: `${SHOTS}/print.png`, fullPage: true });
  await ana.emulateMedia({ media: "screen" });

  // The menu on a phone (inside the header's menu there).
  await ana.setViewportSize({ width: 360, height: 740 });
  await ana.getByRole("button", { name: /^Menu/ }).click();
  await ana.getByRole("button", { name: "Export" }).click();
  await expect(ana.getByRole("menu", { name: "Export" })).toBeVisible();
  await ana.screenshot({ path: `${SHOTS}/phone-menu.png` });
  await ana.keyboard.press("Escape");
  await editor(ana).locator("figure.quire-image img").click();
  await ana.screenshot({ path: `${SHOTS}/phone-image.png` });
  await ana.context().close();
});

test("upload latency through the local server (printed)", async ({ browser, request }) => {
  const ana = await newPage(browser, "Ana");
  const { editUrl } = await createFromHome(ana);
  const id = idOf(editUrl);
  const token = /#edit=([A-Za-z0-9_-]+)/.exec(editUrl)![1]!;
  for (const size of [64 * 1024, 1024 * 1024, 8 * 1024 * 1024]) {
    // A valid PNG signature and header, then filler: the server sniffs, it does not decode.
    const body = Buffer.concat([png(1, 1, [0, 0, 0]), randomBytes(size)]);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const res = await request.post(`/api/docs/${id}/files`, {
        headers: { authorization: `Bearer ${token}`, "content-type": "image/png" },
        data: body,
      });
      times.push(performance.now() - started);
      expect(res.status()).toBe(201);
    }
    times.sort((a, b) => a - b);
    console.log(`upload ${(body.byteLength / 1024).toFixed(0)} KiB: median ${times[2]!.toFixed(0)} ms, max ${times[4]!.toFixed(0)} ms`);
  }
  await ana.context().close();
});
