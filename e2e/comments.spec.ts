/**
 * Comments in the browser, with three people: an owner, an editor and someone with
 * the comment link. Threads are stored by the server and announced live.
 */
import { expect, test, type Page } from "@playwright/test";
import { withAiStub } from "./support/ai-server";
import type { OpenAIStub } from "./support/openai-stub";
import { createFromHome, docText, editor, newPage } from "./support/pages";
import { createDoc, type QuireServer } from "./support/server";

/** Selects the `nth` copy (0 = first) of `text` inside one text node of the editor, as
 * a mouse drag would. */
async function select(page: Page, text: string, nth = 0): Promise<void> {
  await editor(page).evaluate(
    (el, [wanted, skip]) => {
      let left = skip as number;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        let at = (n.textContent ?? "").indexOf(wanted as string);
        while (at >= 0 && left > 0) {
          left--;
          at = (n.textContent ?? "").indexOf(wanted as string, at + 1);
        }
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + (wanted as string).length);
        const sel = window.getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
        return;
      }
      throw new Error(`text not found: ${wanted}`);
    },
    [text, nth] as const,
  );
}

async function commentLink(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: "Share this document" });
  const url = await dialog.getByRole("textbox", { name: "Comment link" }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  return url;
}

const panel = (page: Page) => page.getByRole("complementary", { name: "Comments" });
const openPanel = async (page: Page) => {
  if (!(await panel(page).isVisible())) await page.getByRole("button", { name: /^Comments/ }).click();
  await expect(panel(page)).toBeVisible();
};

test("a commenter cannot type, but comments; others reply and resolve, live", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const cleo = await newPage(browser, "Cleo");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("The quick brown fox jumps.");
  const url = await commentLink(ana);
  expect(url).toMatch(/#comment=/);

  await ben.goto(editUrl);
  await cleo.goto(url);
  await expect(cleo.getByText("Can comment")).toBeVisible();
  await expect(editor(cleo)).toContainText("The quick brown fox jumps.");
  await expect(editor(cleo)).toHaveAttribute("contenteditable", "false");
  await editor(cleo).click();
  await cleo.keyboard.type("VANDAL");
  await editor(ana).click();
  await ana.keyboard.press("End");
  await ana.keyboard.type(" Still mine.");
  await expect(editor(cleo)).toContainText("jumps. Still mine.");
  expect(await docText(ana)).not.toContain("VANDAL");

  // Cleo comments on "brown fox" with the keyboard shortcut.
  await select(cleo, "brown fox");
  await cleo.keyboard.press("Control+Alt+KeyM");
  await panel(cleo).getByRole("textbox", { name: "New comment" }).fill("Which fox?");
  await panel(cleo).getByRole("button", { name: "Add comment" }).click();

  // Everyone sees the highlight and the count, live.
  for (const page of [ana, ben, cleo]) {
    await expect(editor(page).locator(".comment-anchor")).toHaveText("brown fox");
    await expect(page.getByRole("button", { name: /^Comments/ }).locator(".comment-count")).toHaveText("1");
  }
  await openPanel(ben);
  const benThread = panel(ben).getByRole("listitem", { name: "Thread on “brown fox”" });
  await expect(benThread).toContainText("Which fox?");
  await expect(benThread).toContainText("Cleo");
  // Only the author may edit their comment.
  await expect(benThread.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await benThread.getByRole("textbox", { name: "Reply" }).fill("The red one.");
  await benThread.getByRole("button", { name: "Reply" }).click();

  await openPanel(ana);
  const anaThread = panel(ana).getByRole("listitem", { name: "Thread on “brown fox”" });
  await expect(anaThread).toContainText("The red one.");
  await anaThread.getByRole("button", { name: "Resolve" }).click();

  // Cleo's panel moves it to Resolved; the open count drops everywhere.
  await expect(panel(cleo).getByRole("listitem", { name: "Thread on “brown fox”" })).toHaveCount(0);
  await expect(cleo.getByRole("button", { name: /^Comments/ }).locator(".comment-count")).toHaveText("0");
  await panel(cleo)
    .getByRole("tab", { name: /Resolved/ })
    .click();
  const resolved = panel(cleo).getByRole("listitem", { name: "Thread on “brown fox”" });
  await expect(resolved).toContainText("The red one.");
  // Cleo edits her own comment.
  await resolved.getByRole("button", { name: "Edit" }).click();
  await resolved.getByRole("textbox", { name: "Edit comment" }).fill("Which fox, exactly?");
  await resolved.getByRole("button", { name: "Save" }).click();
  await panel(ana)
    .getByRole("tab", { name: /Resolved/ })
    .click();
  const edited = panel(ana).getByRole("listitem", { name: "Thread on “brown fox”" });
  await expect(edited).toContainText("Which fox, exactly?");
  await expect(edited).toContainText("(edited)");
});

test("a view link reads comments but cannot add them", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const vic = await newPage(browser, "Vic");
  const { viewUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Read only here, only there.");
  // The second "only": the anchor goes where the selection is, not to the first copy.
  await select(ana, "only", 1);
  await ana.getByRole("button", { name: "Comment", exact: true }).click();
  await panel(ana).getByRole("textbox", { name: "New comment" }).fill("Note");
  await panel(ana).getByRole("button", { name: "Add comment" }).click();
  await expect(editor(ana).locator(".comment-anchor")).toHaveText("only");
  expect(
    await editor(ana)
      .locator(".comment-anchor")
      .evaluate((el) => el.previousSibling?.textContent),
  ).toBe("Read only here, ");

  await vic.goto(viewUrl);
  await expect(editor(vic).locator(".comment-anchor")).toHaveText("only");
  await expect(vic.getByRole("button", { name: "Comment", exact: true })).toHaveCount(0);
  await openPanel(vic);
  const thread = panel(vic).getByRole("listitem", { name: "Thread on “only”" });
  await expect(thread).toContainText("Note");
  await expect(thread.getByRole("textbox", { name: "Reply" })).toHaveCount(0);
  await expect(thread.getByRole("button", { name: "Resolve" })).toHaveCount(0);
});

/** The anchor of the thread whose first comment is `body` (data-thread-id from the panel). */
async function anchorOf(page: Page, quote: string) {
  const id = await panel(page)
    .getByRole("listitem", { name: `Thread on “${quote}”` })
    .getAttribute("data-thread-id");
  return editor(page).locator(`.comment-anchor[data-thread-id="${id}"]`);
}
const highlighted = (anchor: ReturnType<Page["locator"]>) =>
  anchor.evaluate((el) => getComputedStyle(el).backgroundColor !== "rgba(0, 0, 0, 0)");

/** Each person's browser keeps its socket and timers until closed: later tests should
 * not run beside them. */
const closeAll = (...pages: Page[]) => Promise.all(pages.map((p) => p.context().close()));

async function commentOn(page: Page, quote: string, body: string): Promise<void> {
  await select(page, quote);
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await panel(page).getByRole("textbox", { name: "New comment" }).fill(body);
  await panel(page).getByRole("button", { name: "Add comment" }).click();
  await expect(panel(page).getByRole("listitem", { name: `Thread on “${quote}”` })).toBeVisible();
}

test("threads: resolved text is plain, detached shows live, deleting the only comment removes the thread and its highlight", async ({
  browser,
}) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Alpha beta gamma delta.");
  await commentOn(ana, "beta", "About beta");
  await commentOn(ana, "gamma", "About gamma");
  await ben.goto(editUrl);
  await openPanel(ben);
  const beta = await anchorOf(ben, "beta");
  const gamma = await anchorOf(ben, "gamma");
  await expect.poll(() => highlighted(beta)).toBe(true);
  await expect.poll(() => highlighted(gamma)).toBe(true);

  // Resolved: the text reads plain for everyone (the mark stays for a reopen).
  await panel(ana).getByRole("listitem", { name: "Thread on “gamma”" }).getByRole("button", { name: "Resolve" }).click();
  await expect.poll(() => highlighted(gamma)).toBe(false);
  expect(await highlighted(beta)).toBe(true);
  await panel(ben)
    .getByRole("tab", { name: /Resolved/ })
    .click();
  await panel(ben).getByRole("listitem", { name: "Thread on “gamma”" }).getByRole("button", { name: "Reopen" }).click();
  await expect.poll(() => highlighted(gamma)).toBe(true);
  await panel(ben).getByRole("tab", { name: /Open/ }).click();

  // Ana deletes "beta": Ben's panel says so at once, without a reload.
  const betaThread = panel(ben).getByRole("listitem", { name: /Thread on “beta”/ });
  await expect(betaThread.getByText("The commented text was removed.")).toHaveCount(0);
  await select(ana, "beta");
  await ana.keyboard.press("Backspace");
  await expect(betaThread.getByText("The commented text was removed.")).toBeVisible();

  // Deleting the only comment of "gamma" deletes the thread and takes its highlight off.
  const gammaThread = panel(ana).getByRole("listitem", { name: "Thread on “gamma”" });
  await gammaThread.getByRole("button", { name: "Delete comment" }).click();
  for (const page of [ana, ben]) {
    await expect(panel(page).getByRole("listitem", { name: "Thread on “gamma”" })).toHaveCount(0);
    await expect(editor(page).locator(".comment-anchor")).toHaveCount(0);
  }
  await ben.reload();
  await expect(editor(ben)).toContainText("Alpha  gamma delta.");
  await openPanel(ben);
  await expect(panel(ben).locator(".thread")).toHaveCount(1);
  await expect(editor(ben).locator(".comment-anchor")).toHaveCount(0);
  await closeAll(ana, ben);
});

test("at 1280 px the panel shows every control whole, spaced, with its own name; the owner deletes others' comments", async ({
  browser,
}) => {
  const ana = await newPage(browser, "Ana");
  const cleo = await newPage(browser, "Cleo");
  await ana.setViewportSize({ width: 1280, height: 800 });
  await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("A sentence that people will discuss at some length.");
  const url = await commentLink(ana);
  await commentOn(ana, "people", "Which people?");
  await cleo.goto(url);
  await openPanel(cleo);
  const cleoThread = panel(cleo).getByRole("listitem", { name: "Thread on “people”" });
  await cleoThread.getByRole("textbox", { name: "Reply" }).fill("Everyone who reads it.");
  await cleoThread.getByRole("button", { name: "Reply" }).click();

  const thread = panel(ana).getByRole("listitem", { name: "Thread on “people”" });
  await expect(thread).toContainText("Everyone who reads it.");
  const box = (await panel(ana).boundingBox())!;
  const inside = async (name: string, role: "button" | "tab" = "button", within = panel(ana)) => {
    const b = (await within.getByRole(role, { name, exact: true }).boundingBox())!;
    expect(b.x, name).toBeGreaterThanOrEqual(box.x);
    expect(b.x + b.width, name).toBeLessThanOrEqual(box.x + box.width + 0.5);
    expect(b.x + b.width, name).toBeLessThanOrEqual(1280);
    return b;
  };
  const open = await inside("Open (1)", "tab");
  const resolvedTab = await inside("Resolved (0)", "tab");
  expect(resolvedTab.x - (open.x + open.width)).toBeGreaterThanOrEqual(2);
  await inside("Resolve", "button", thread);
  const edit = await inside("Edit comment", "button", thread);
  const del = await inside("Delete comment", "button", thread);
  expect(del.x - (edit.x + edit.width)).toBeGreaterThanOrEqual(4);
  await inside("Delete comment by Cleo", "button", thread);

  // The owner removes Cleo's reply; Cleo cannot remove Ana's comment.
  await expect(panel(cleo).getByRole("button", { name: /Delete comment by/ })).toHaveCount(0);
  await thread.getByRole("button", { name: "Delete comment by Cleo" }).click();
  await expect(cleoThread).not.toContainText("Everyone who reads it.");
  await thread.getByRole("button", { name: "Resolve" }).click();
  await panel(ana)
    .getByRole("tab", { name: /Resolved/ })
    .click();
  await inside("Reopen", "button", panel(ana).getByRole("listitem", { name: "Thread on “people”" }));
  await closeAll(ana, cleo);
});

test("suggestions made in one browser are seen live and accepted or rejected in another", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Plain text here.");
  await ben.goto(editUrl);
  await expect(editor(ben)).toContainText("Plain text here.");

  // Ben suggests: types a word and deletes one.
  await ben.getByRole("button", { name: "Suggesting" }).click();
  await expect(ben.getByRole("button", { name: "Suggesting" })).toHaveAttribute("aria-pressed", "true");
  await editor(ben).click();
  await ben.keyboard.press("End");
  await ben.keyboard.type(" More");
  await select(ben, "here");
  await ben.keyboard.press("Backspace");

  // Ana sees both, marked, with the text still all there.
  await expect(editor(ana).locator("ins.suggestion")).toHaveText(" More");
  await expect(editor(ana).locator("del.suggestion")).toHaveText("here");
  expect(await docText(ana)).toBe("Plain text here. More");
  // The panel opens from the header's count, never by itself.
  await ana.getByRole("button", { name: "Suggestions 2" }).click();
  const list = ana.getByRole("complementary", { name: "Suggestions" });
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await expect(list.getByRole("listitem").first()).toContainText("Ben");

  // Ana accepts the deletion and rejects the insertion; Ben sees the result.
  await list.getByRole("listitem", { name: "Delete “here”" }).getByRole("button", { name: "Accept" }).click();
  await list.getByRole("listitem", { name: "Insert “ More”" }).getByRole("button", { name: "Reject" }).click();
  await expect.poll(() => docText(ben)).toBe("Plain text .");
  await expect(editor(ben).locator("ins.suggestion, del.suggestion")).toHaveCount(0);
  // Accepting is an ordinary change: Ana can undo it.
  await editor(ana).click();
  await ana.keyboard.press("Control+z");
  await expect.poll(() => docText(ben)).not.toBe("Plain text .");
});

test.describe("AI suggestions", () => {
  let stub: OpenAIStub;
  let server: QuireServer;
  withAiStub((s, q) => {
    stub = s;
    server = q;
  });

  test("@AI answers are Markdown rendered safely and styled as the AI's; a person named “A I” is not the AI", async ({ browser }) => {
    stub.configure({
      text: 'This is **clearer** and `short`.\n\n- one\n- two\n\n<img src="/x" onerror="window.__pwned=1"> [bad](javascript:window.__pwned=2) [good](https://example.com/ok)',
      chunkChars: 50,
      chunkDelayMs: 1,
    });
    const doc = await createDoc(server);
    const ana = await newPage(browser, "Ana");
    await ana.goto(doc.editUrl);
    await editor(ana).click();
    await ana.keyboard.type("Make this clearer please.");
    // Cleo asks through the API with the comment link, as soon as the text is on the server.
    const ask = () =>
      fetch(`${server.http}/api/docs/${doc.id}/threads`, {
        method: "POST",
        headers: { authorization: `Bearer ${doc.commentToken}`, "content-type": "application/json" },
        body: JSON.stringify({ quote: "clearer", body: "@AI how would you say it?", author: "A I" }),
      });
    await expect.poll(async () => (await ask()).status).toBe(201);
    await openPanel(ana);
    const thread = panel(ana).getByRole("listitem", { name: "Thread on “clearer”" });
    const answer = thread.locator(".comment-ai");
    await expect(answer.locator("strong")).toHaveText("clearer");
    await expect(answer.locator("code")).toHaveText("short");
    await expect(answer.locator("li")).toHaveText(["one", "two"]);
    await expect(answer).not.toContainText("**");
    await expect(answer.getByRole("link", { name: "good" })).toHaveAttribute("href", "https://example.com/ok");
    await expect(answer.locator("img")).toHaveCount(0);
    await expect(answer.locator('a[href^="javascript"]')).toHaveCount(0);
    expect(await ana.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The person who called themselves "A I" shows as a person.
    const person = thread.locator(".comment-person");
    await expect(person.locator(".comment-author")).toHaveText("A I (person)");
    await expect(person.locator(".ai-badge")).toHaveCount(0);
    await expect(answer.locator(".comment-author")).toHaveText("AI");
    await closeAll(ana);
  });

  test("an AI answer lands as a suggestion by “AI, asked by Ana” and a third person accepts it", async ({ browser }) => {
    stub.configure({ text: "A sharper sentence.", chunkChars: 5, chunkDelayMs: 5 });
    const doc = await createDoc(server);
    const [ana, ben, carl] = [await newPage(browser, "Ana"), await newPage(browser, "Ben"), await newPage(browser, "Carl")];
    for (const p of [ana, ben, carl]) await p.goto(doc.editUrl);
    await editor(ana).click();
    await ana.keyboard.type("A dull sentence.");
    await expect(editor(carl)).toContainText("A dull sentence.");
    await select(ana, "A dull sentence.");
    await ana.keyboard.press("Control+j");
    await ana.getByRole("menuitem", { name: "Rewrite" }).click();
    await expect(ana.getByTestId("ai-panel")).toHaveAttribute("data-phase", "done", { timeout: 15_000 });
    await ana.getByTestId("ai-panel").getByRole("button", { name: "Suggest" }).click();

    // Everyone sees the proposal: the old text struck, the answer inserted, both marked.
    // (Contains: Ana's caret label may sit inside the marked text.)
    await expect(editor(ben).locator("ins.suggestion")).toContainText("A sharper sentence.");
    await expect(editor(ben).locator("del.suggestion")).toContainText("A dull sentence.");
    expect(await docText(ben)).toBe("A dull sentence.A sharper sentence.");
    await carl.getByRole("button", { name: /^Suggestions/ }).click();
    const list = carl.getByRole("complementary", { name: "Suggestions" });
    // One suggestion (one id): the selection struck, the answer added.
    const proposal = list.getByRole("listitem", { name: "Replace “A dull sentence.” with “A sharper sentence.”" });
    await expect(proposal).toContainText("AI, asked by Ana");
    await expect(proposal).toContainText("AI command: rewrite · stub-model");

    await list.getByRole("button", { name: "Accept all" }).click();
    for (const p of [ana, ben, carl]) await expect.poll(() => docText(p)).toBe("A sharper sentence.");
    await expect(editor(ana).locator("ins.suggestion, del.suggestion")).toHaveCount(0);
  });
});
