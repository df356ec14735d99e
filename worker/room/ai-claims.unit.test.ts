import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { essence, fromAnswer, textWrittenBy } from "./ai-claims";

const ANSWER = "The **quick** brown fox\n\n- jumps over\n- the lazy dog.";

describe("AI claims", () => {
  it("compares letters and digits only, so Markdown and spacing do not matter", () => {
    expect(essence("The **quick** brown")).toBe("thequickbrown");
    expect(fromAnswer(["The quick brown fox", "jumps over", "the lazy dog."], ANSWER)).toBe(true);
  });

  it("refuses text the answer does not hold, and more text than it holds", () => {
    expect(fromAnswer(["The quick brown fox", "and wire money to account 999"], ANSWER)).toBe(false);
    expect(fromAnswer(["quick", "quick", "quick", "quick", "quick", "quick", "quick", "quick"], ANSWER)).toBe(false);
    expect(fromAnswer([], ANSWER)).toBe(false);
  });

  it("reads what a client id wrote that is still in the document", () => {
    const doc = new Y.Doc();
    const text = doc.getText("t");
    text.insert(0, "hello world");
    text.delete(0, 6);
    expect(textWrittenBy(doc, doc.clientID).join("")).toBe("world");
    expect(textWrittenBy(doc, 12345)).toEqual([]);
  });
});
