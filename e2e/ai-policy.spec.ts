/**
 * The owner's AI policy and AI activity end to end: the owner and an editor in two
 * browsers, the real Worker and Durable Object, and the local SSE stub in place of a
 * model. The owner turns AI off in the Share dialog: the editor's AI button goes away
 * live and the server refuses raw AI requests (socket and @AI). With answers allowed
 * only as suggestions the editor's panel offers Suggest alone, and the owner's AI
 * activity shows the call as suggested.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { withAiStub } from "./support/ai-server";
import { openAs } from "./support/pages";
import type { OpenAIStub } from "./support/openai-stub";
import { rawAiRequest, setPolicy } from "./support/ai-policy";
import { createDoc, type QuireServer } from "./support/server";

let stub: OpenAIStub;
let server: QuireServer;
withAiStub((s, q) => {
  stub = s;
  server = q;
});

const person = (browser: Browser, name: string, url: string): Promise<Page> => openAs(browser, name, url);

test("the owner turns AI off: the editor's AI button goes, and the server refuses AI on every path", async ({ browser }) => {
  const doc = await createDoc(server);
  const owner = await person(browser, "Olga", doc.ownerUrl);
  const editor = await person(browser, "Ed", doc.editUrl);
  await editor.locator(".ProseMirror").click();
  await editor.keyboard.type("The plan is settled for the third quarter.");
  await expect(owner.locator(".ProseMirror")).toContainText("third quarter");
  await expect(editor.getByRole("button", { name: "AI assist" })).toBeVisible();

  await setPolicy(owner, "AI off");
  await expect(editor.getByRole("button", { name: "AI assist" })).toHaveCount(0);
  await expect(owner.getByRole("button", { name: "AI assist" })).toHaveCount(0);
  // Mod-J opens nothing either.
  await editor.locator(".ProseMirror p").first().click({ clickCount: 3 });
  await editor.keyboard.press("Control+j");
  await expect(editor.getByRole("menu", { name: "AI assist" })).toHaveCount(0);
  // The editor reads the policy in the Share dialog, and cannot change it.
  await editor.getByRole("button", { name: "Share" }).click();
  await expect(editor.getByTestId("ai-policy-readonly")).toContainText("AI off");
  await expect(editor.getByRole("radio")).toHaveCount(0);
  await editor.keyboard.press("Escape");

  // What a script could send is refused by the server, not only hidden.
  expect(await rawAiRequest(server, doc.id, doc.editToken)).toMatchObject({ type: "ai-error", code: "ai-off" });
  const asked = await fetch(`${server.http}/api/docs/${doc.id}/threads`, {
    method: "POST",
    headers: { authorization: `Bearer ${doc.editToken}`, "content-type": "application/json" },
    body: JSON.stringify({ quote: "settled", body: "@AI what does this mean?" }),
  });
  expect(asked.status).toBe(403);
  expect(((await asked.json()) as { error: string }).error).toBe("ai-off");
  const turned = await fetch(`${server.http}/api/docs/${doc.id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${doc.editToken}`, "content-type": "application/json" },
    body: JSON.stringify({ ai: "on" }),
  });
  expect(turned.status).toBe(403);
  expect(stub.requests).toEqual([]);

  // Back on: the button returns, live.
  await setPolicy(owner, "AI on");
  await expect(editor.getByRole("button", { name: "AI assist" })).toBeVisible();
  await owner.context().close();
  await editor.context().close();
});

test("answers only as suggestions: Suggest is the one choice, and the owner's AI activity shows it", async ({ browser }) => {
  stub.configure({ text: "The plan is final for Q3.", chunkDelayMs: 5 });
  const doc = await createDoc(server);
  const owner = await person(browser, "Olga", doc.ownerUrl);
  const editor = await person(browser, "Ed", doc.editUrl);
  await editor.locator(".ProseMirror").click();
  await editor.keyboard.type("The plan is settled for the third quarter.");
  await expect(owner.locator(".ProseMirror")).toContainText("third quarter");
  await setPolicy(owner, "AI answers only as suggestions");

  await expect(async () => {
    await editor.locator(".ProseMirror p").first().click({ clickCount: 3 });
    expect(await editor.evaluate(() => window.getSelection()?.toString())).toBe("The plan is settled for the third quarter.");
  }).toPass({ timeout: 15_000 });
  await editor.getByRole("button", { name: "AI assist" }).first().click();
  await editor.getByRole("menuitem", { name: "Rewrite" }).click();
  const panel = editor.getByTestId("ai-panel");
  await expect(panel).toHaveAttribute("data-phase", "done");
  await expect(panel.getByRole("button", { name: /Replace/ })).toHaveCount(0);
  await expect(panel.getByRole("button", { name: /Insert/ })).toHaveCount(0);
  await panel.getByRole("button", { name: "Suggest" }).click();
  await expect(owner.locator(".ProseMirror")).toContainText("final for Q3");
  // The suggested answer is the AI's, landed as a suggestion (docs/AUTHORSHIP.md).
  await expect
    .poll(async () => {
      const res = await fetch(`${server.http}/api/docs/${doc.id}/authorship`, { headers: { authorization: `Bearer ${doc.viewToken}` } });
      const { authors } = (await res.json()) as { authors: { kind: string; landing?: string; requestedBy?: string }[] };
      return authors.find((a) => a.kind === "ai");
    })
    .toMatchObject({ landing: "suggestion", requestedBy: "Ed" });

  // In the header's menu: the owner's, and seldom needed.
  await owner.locator(".header-menu-button").click();
  await owner.getByRole("button", { name: "AI activity" }).click();
  const list = owner.getByTestId("ai-activity-list");
  await expect(list.locator(".ai-call")).toHaveCount(1);
  const call = list.locator(".ai-call").first();
  await expect(call).toHaveAttribute("data-outcome", "suggested");
  await expect(call).toContainText("Rewrite");
  await expect(call).toContainText("stub-model");
  await expect(call).toContainText(/asked by Ed(?!itor)/);
  // The editor has no such panel.
  await editor.locator(".header-menu-button").click();
  await expect(editor.getByRole("button", { name: "Outline" })).toBeVisible();
  await expect(editor.getByRole("button", { name: "AI activity" })).toHaveCount(0);
  await owner.context().close();
  await editor.context().close();
});
