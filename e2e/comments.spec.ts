/**
 * Comments in the browser, with three people: an owner, an editor and someone with
 * the comment link. Threads are stored by the server and announced live.
 */
import { expect, test, type Page } from "@playwright/test";
import { startOpenAIStub, type OpenAIStub } from "./support/openai-stub";
import { createFromHome, docText, editor, newPage } from "./support/pages";
import { createDoc, startQuire, type QuireServer } from "./support/server";

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
  await expect(panel(ana).getByRole("listitem", { name: "Thread on “brown fox”" })).toContainText("Which fox, exactly? (edited)");
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
  test.beforeAll(async () => {
    stub = await startOpenAIStub();
    server = await startQuire({ env: { OPENAI_BASE_URL: stub.url, OPENAI_API_KEY: "sk-e2e", AI_MODEL: "stub-model" } });
  });
  test.afterAll(async () => {
    await server?.stop();
    await stub?.close();
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
    const proposal = list.getByRole("listitem", { name: "Insert “A sharper sentence.”" });
    await expect(proposal).toContainText("AI, asked by Ana");
    await expect(proposal).toContainText("AI command: rewrite · stub-model");

    await list.getByRole("button", { name: "Accept all" }).click();
    for (const p of [ana, ben, carl]) await expect.poll(() => docText(p)).toBe("A sharper sentence.");
    await expect(editor(ana).locator("ins.suggestion, del.suggestion")).toHaveCount(0);
  });
});
