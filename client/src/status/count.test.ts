import { describe, expect, it } from "vitest";
import { countText } from "./count";

describe("countText", () => {
  it("counts words and characters like a word processor", () => {
    expect(countText("")).toEqual({ words: 0, characters: 0 });
    expect(countText("Hello, world!")).toEqual({ words: 2, characters: 13 });
    expect(countText("  spaced   out  ")).toEqual({ words: 2, characters: 16 });
    expect(countText("don't stop-me now")).toEqual({ words: 4, characters: 17 });
  });

  it("does not count block breaks as characters, nor punctuation alone as words", () => {
    expect(countText("One.\nTwo.\n— …")).toEqual({ words: 2, characters: 11 });
  });

  it("counts what people see: emoji and combining marks are one character", () => {
    expect(countText("👍🏽 ok").characters).toBe(4);
    expect(countText("e\u0301te\u0301").characters).toBe(3);
  });

  it("splits scripts written without spaces into words", () => {
    expect(countText("我喜欢读书").words).toBeGreaterThan(1);
  });
});

describe("acceptedText", () => {
  it("leaves out text only suggested for insertion, keeps suggested deletions", async () => {
    const { getSchema } = await import("@tiptap/core");
    const { schemaExtensions } = await import("../../../shared/schema");
    const { acceptedText } = await import("./WordCount");
    const schema = getSchema(schemaExtensions());
    const doc = schema.nodeFromJSON({
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "one " },
            { type: "text", text: "two ", marks: [{ type: "insertion", attrs: { id: "1-1", author: "A", at: 1 } }] },
            { type: "text", text: "three", marks: [{ type: "deletion", attrs: { id: "1-2", author: "A", at: 1 } }] },
          ],
        },
        { type: "paragraph", content: [{ type: "text", text: "four" }] },
      ],
    });
    expect(acceptedText(doc)).toBe("one three\nfour");
    expect(countText(acceptedText(doc)).words).toBe(3);
  });
});
