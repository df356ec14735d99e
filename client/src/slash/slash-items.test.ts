import { describe, expect, it } from "vitest";
import { filterItems, SLASH_ITEMS } from "./slash-items";

const titles = (q: string) => filterItems(q).map((i) => i.title);

describe("filterItems", () => {
  it("lists everything for an empty query and narrows by title or keyword", () => {
    expect(titles("")).toEqual(SLASH_ITEMS.map((i) => i.title));
    expect(titles("head")).toEqual(["Heading 1", "Heading 2", "Heading 3"]);
    expect(titles("h2")).toEqual(["Heading 2"]);
    expect(titles("todo")).toEqual(["Task list"]);
    expect(titles("TABLE")).toEqual(["Table"]);
    expect(titles("zzz")).toEqual([]);
  });
});
