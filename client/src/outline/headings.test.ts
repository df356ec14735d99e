import { getSchema } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { schemaExtensions } from "../../../shared/schema";
import { headingsOf } from "./headings";

const schema = getSchema(schemaExtensions());

describe("headingsOf", () => {
  it("lists headings in order with their level and position, including nested ones", () => {
    const h = (level: number, text: string) => schema.node("heading", { level }, [schema.text(text)]);
    const p = (text: string) => schema.node("paragraph", null, [schema.text(text)]);
    const doc = schema.node("doc", null, [h(1, "Plan"), p("intro"), h(2, "Goals"), schema.node("blockquote", null, [h(3, "Quoted")])]);
    const out = headingsOf(doc);
    expect(out.map((x) => [x.level, x.text])).toEqual([
      [1, "Plan"],
      [2, "Goals"],
      [3, "Quoted"],
    ]);
    for (const x of out) expect(doc.nodeAt(x.pos)?.textContent).toBe(x.text);
  });
});
