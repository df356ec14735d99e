import { getSchema } from "@tiptap/core";
import { EditorState } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import { schemaExtensions } from "../../../shared/schema";
import { needsSpace } from "./apply";

const schema = getSchema(schemaExtensions());
const state = (text: string) =>
  EditorState.create({ doc: schema.node("doc", null, [schema.node("paragraph", null, text ? [schema.text(text)] : [])]) });
const para = (text: string) => schema.node("paragraph", null, [schema.text(text)]);

describe("needsSpace (continue writing joins the sentence it continues)", () => {
  it("separates a continuation from the word or full stop before it", () => {
    const s = state("It was late.");
    expect(needsSpace(s, 1 + "It was late.".length, para("Then it rained."))).toBe(true);
    expect(needsSpace(s, 1 + "It was".length, para("very"))).toBe(true);
  });

  it("adds nothing after a space, at a paragraph start, before punctuation, or for block answers", () => {
    expect(needsSpace(state("It was "), 1 + "It was ".length, para("late"))).toBe(false);
    expect(needsSpace(state(""), 1, para("Hello"))).toBe(false);
    expect(needsSpace(state("It was late"), 1 + "It was late".length, para(", then"))).toBe(false);
    const heading = schema.node("heading", { level: 2 }, [schema.text("Next")]);
    expect(needsSpace(state("It was late."), 13, heading)).toBe(false);
  });
});
