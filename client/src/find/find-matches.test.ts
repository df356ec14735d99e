import { getSchema } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { schemaExtensions } from "../../../shared/schema";
import { findMatches } from "./find-matches";
import { planSteps, REPLACE_STEP_BUDGET_BYTES } from "./replace-all";
import { MAX_MESSAGE_BYTES } from "../../../shared/limits";

const schema = getSchema(schemaExtensions());
const p = (...text: string[]) =>
  schema.node(
    "paragraph",
    null,
    text.map((t) => schema.text(t)),
  );
const doc = schema.node("doc", null, [p("The cat sat. Cats scatter."), p("CAT and cat")]);
const found = (q: string, caseSensitive = false, wholeWord = false) =>
  findMatches(doc, q, { caseSensitive, wholeWord }).map((m) => doc.textBetween(m.from, m.to));

describe("findMatches", () => {
  it("finds in every block, with match case and whole word options", () => {
    expect(found("cat")).toEqual(["cat", "Cat", "cat", "CAT", "cat"]);
    expect(found("cat", true)).toEqual(["cat", "cat", "cat"]);
    expect(found("cat", false, true)).toEqual(["cat", "CAT", "cat"]);
    expect(found("cat", true, true)).toEqual(["cat", "cat"]);
    expect(found("")).toEqual([]);
    expect(found("a.d")).toEqual([]);
  });

  it("maps to document positions across marks and hard breaks", () => {
    const bold = schema.text("cat", [schema.marks.bold!.create()]);
    const br = schema.nodes.hardBreak!.create();
    const d = schema.node("doc", null, [schema.node("paragraph", null, [schema.text("a "), br, bold, schema.text(" cat")])]);
    const ms = findMatches(d, "cat", { caseSensitive: false, wholeWord: false });
    expect(ms.map((m) => d.textBetween(m.from, m.to))).toEqual(["cat", "cat"]);
  });
});

describe("planSteps (replace-all stays under the frame limit)", () => {
  it("splits so that no step's estimated update exceeds the budget, and keeps every match once", () => {
    const matches = Array.from({ length: 20_000 }, (_, i) => ({ from: i * 10, to: i * 10 + 3 }));
    const replacement = "x".repeat(200);
    const steps = planSteps(matches, replacement);
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.flat()).toEqual(matches);
    for (const s of steps) expect(s.length * (replacement.length + 64)).toBeLessThanOrEqual(REPLACE_STEP_BUDGET_BYTES);
    expect(REPLACE_STEP_BUDGET_BYTES).toBeLessThan(MAX_MESSAGE_BYTES);
  });
});
