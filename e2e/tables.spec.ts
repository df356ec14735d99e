/** Tables: insert from the toolbar, Tab between cells, the table toolbar, and two people
 * changing one table at once ending with the same table. */
import { expect, type Page, test } from "@playwright/test";
import { createFromHome, editor, newPage } from "./support/pages";

/** The table as rows of cell texts (other people's caret labels left out). */
const grid = (page: Page) =>
  editor(page).evaluate((el) =>
    Array.from(el.querySelectorAll("table tr")).map((tr) =>
      Array.from(tr.querySelectorAll("th, td")).map((c) => {
        const copy = c.cloneNode(true) as HTMLElement;
        copy.querySelectorAll(".collaboration-carets__caret").forEach((x) => {
          x.remove();
        });
        return `${c.tagName === "TH" ? "#" : ""}${copy.textContent ?? ""}`;
      }),
    ),
  );

test("insert a table, Tab through cells, add and remove rows and columns together, and converge", async ({ browser }) => {
  const ana = await newPage(browser, "Ana");
  const ben = await newPage(browser, "Ben");
  const { editUrl } = await createFromHome(ana);
  await editor(ana).click();
  await ana.keyboard.type("Team");
  await ana.keyboard.press("Enter");
  await expect(ana.getByRole("toolbar", { name: "Table" })).toHaveCount(0);
  await ana.getByRole("button", { name: "Table", exact: true }).click();
  const tools = ana.getByRole("toolbar", { name: "Table" });
  await expect(tools).toBeVisible();
  for (const text of ["Name", "Role", "Since"]) {
    await ana.keyboard.type(text);
    await ana.keyboard.press("Tab");
  }
  await ana.keyboard.type("Ana");
  expect(await grid(ana)).toEqual([
    ["#Name", "#Role", "#Since"],
    ["Ana", "", ""],
    ["", "", ""],
  ]);

  await ben.goto(editUrl);
  await expect.poll(() => grid(ben)).toEqual(await grid(ana));

  // At the same time: Ana adds a row below hers, Ben adds a column right of "Role" and types.
  await editor(ben).locator("td").nth(4).click();
  await Promise.all([
    ana.getByRole("button", { name: "Add row below" }).click(),
    ben.getByRole("toolbar", { name: "Table" }).getByRole("button", { name: "Add column right" }).click(),
  ]);
  await ben.keyboard.type("Ben");
  // Both read on every poll: the two sides must end up equal, not match a snapshot of one.
  await expect
    .poll(async () => {
      const [a, b] = await Promise.all([grid(ana), grid(ben)]);
      return JSON.stringify(a) === JSON.stringify(b);
    })
    .toBe(true);
  await expect.poll(async () => (await grid(ana)).flat().join("|")).toContain("Ben");
  const both = await grid(ana);
  expect(both.length).toBe(4);

  // Delete a row and a column, toggle the header: still one table for both.
  await editor(ana).locator("td").last().click();
  await tools.getByRole("button", { name: "Delete row" }).click();
  await tools.getByRole("button", { name: "Delete column" }).click();
  await tools.getByRole("button", { name: "Toggle header row" }).click();
  await expect.poll(async () => JSON.stringify(await grid(ben))).toBe(JSON.stringify(await grid(ana)));
  expect((await grid(ana)).length).toBe(3);
  expect((await grid(ana))[0]![0]).toBe("Name");

  await tools.getByRole("button", { name: "Delete table" }).click();
  await expect(editor(ben).locator("table")).toHaveCount(0);
  await expect(tools).toHaveCount(0);
  await expect(editor(ben)).toContainText("Team");

  for (const p of [ana, ben]) await p.context().close();
});
