/** The browser counts occurrences of a quote the way the server does. */
import { getSchema } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { schemaExtensions } from "../../../shared/schema";
import { occurrenceAt } from "./occurrence";

const schema = getSchema(schemaExtensions());

describe("occurrenceAt", () => {
  it("counts earlier occurrences in document order, per run of text", () => {
    const doc = schema.node("doc", null, [
      schema.node("paragraph", null, [schema.text("ab ab")]),
      // A hard break splits the text in two runs, as it splits the Y.XmlText.
      schema.node("paragraph", null, [schema.text("a"), schema.node("hardBreak"), schema.text("b ab")]),
    ]);
    // Positions: paragraph 1 text starts at 1 ("ab ab": 1..6); paragraph 2 starts at 8.
    expect(occurrenceAt(doc, 1, "ab")).toBe(0);
    expect(occurrenceAt(doc, 4, "ab")).toBe(1);
    // "a<br>b" is not an occurrence; the one after the break is the third.
    expect(occurrenceAt(doc, doc.content.size - 3, "ab")).toBe(2);
  });
});
