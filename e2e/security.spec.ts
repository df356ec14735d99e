import { expect, test } from "@playwright/test";
import { createFromHome, editor, newPage } from "./support/pages";

test("the app is served with a strict Content-Security-Policy and security headers", async ({ request }) => {
  for (const path of ["/", "/d/AAAAAAAAAAAAAAAAAAAAAA"]) {
    const res = await request.get(path);
    const csp = res.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res.headers()["referrer-policy"]).toBe("no-referrer");
  }
});

test("the API does not grant other origins access (no CORS)", async ({ request }) => {
  const res = await request.post("/api/docs", { headers: { origin: "https://evil.example" }, data: {} });
  expect(res.headers()["access-control-allow-origin"]).toBeUndefined();
  const pre = await request.fetch("/api/docs", {
    method: "OPTIONS",
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
  });
  expect(pre.headers()["access-control-allow-origin"]).toBeUndefined();
});

test("pasted HTML goes through the editor schema and stays inert, also in the HTML export", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  let dialogs = 0;
  ana.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await createFromHome(ana);
  await editor(ana).click();
  const payload =
    '<p>safe text</p><img src=x onerror="alert(1)"><script>alert(2)</script>' +
    '<a href="javascript:alert(3)">click</a><iframe src="javascript:alert(4)"></iframe><p onclick="alert(5)">para</p>';
  await editor(ana).evaluate((el, html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "fallback");
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, payload);
  await expect(editor(ana)).toContainText("safe text");
  await expect(editor(ana)).toContainText("para");
  await expect(editor(ana).locator("img, script, iframe, [onclick], [onerror]")).toHaveCount(0);
  await expect(editor(ana).locator('a[href^="javascript"]')).toHaveCount(0);
  // Barrier: an image of the same address, loaded after the paste, has failed; an
  // <img src=x> the paste had put in the page would have fired its onerror by then.
  await ana.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const img = new Image();
        img.onload = img.onerror = () => requestAnimationFrame(() => resolve());
        img.src = "x";
      }),
  );
  expect(dialogs).toBe(0);

  await expect(ana.getByRole("status")).toHaveText("Saved");
  const id = new URL(ana.url()).pathname.split("/").pop()!;
  const token = await ana.evaluate((docId) => JSON.parse(localStorage.getItem(`quire:tokens:${docId}`) ?? "{}").edit as string, id);
  const html = await (
    await ana.request.get(`/api/docs/${id}/export?format=html`, { headers: { authorization: `Bearer ${token}` } })
  ).text();
  expect(html).toContain("safe text");
  expect(html).not.toMatch(/<script|<img|<iframe|onerror|onclick|javascript:/i);
});
