/** Content from outside the editor (an AI answer, pasted HTML) loses every mark of
 * identity and every node's suggestion record; other marks and attributes stay. */
import { describe, expect, it } from "vitest";
import { withoutIdentityMarks } from "./identity-marks";
import { editorSchema } from "./schema";

const rec = JSON.stringify({ id: "42-1", author: "Finance lead", at: 1, op: "insert" });

describe("withoutIdentityMarks", () => {
  it("drops suggestion and comment marks and node records, keeps the rest", () => {
    const doc = editorSchema().nodeFromJSON({
      type: "doc",
      content: [
        {
          type: "heading",
          attrs: { level: 2, suggestFrom: JSON.stringify({ id: "42-2", author: "Finance lead", at: 1, type: "paragraph", attrs: {} }) },
          content: [{ type: "text", text: "Title" }],
        },
        {
          type: "paragraph",
          attrs: { suggestBreak: JSON.stringify({ id: "42-4", author: "Finance lead", at: 1, op: "split" }) },
          content: [
            { type: "text", text: "to account 999", marks: [{ type: "insertion", attrs: { id: "42-3", author: "Finance lead", at: 1 } }] },
            { type: "text", text: " anchored", marks: [{ type: "bold" }, { type: "comment", attrs: { threadId: "AbCdEf0123456789" } }] },
          ],
        },
        { type: "paragraph", attrs: { suggestNode: rec }, content: [{ type: "text", text: "new" }] },
      ],
    });
    const out = JSON.stringify(withoutIdentityMarks(doc.content).toJSON());
    expect(out).not.toMatch(/42-|Finance lead|"suggest\w+":"|insertion|"comment"|AbCdEf/);
    expect(out).toContain('"bold"');
    expect(out).toContain('"level":2');
  });

  it("gives back the same fragment when there is nothing to drop", () => {
    const doc = editorSchema().nodeFromJSON({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "plain" }] }] });
    expect(withoutIdentityMarks(doc.content)).toBe(doc.content);
  });
});
