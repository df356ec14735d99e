/**
 * What a comment request may carry, as stored: names that read as "AI" are never a
 * person's disguise, and text is well-formed (no half surrogate pairs, no controls).
 */
import { describe, expect, it } from "vitest";
import type { Comment, Thread, ThreadResponse } from "../../shared/comments";
import { api } from "../test-support/api";
import { connect, createDoc } from "../test-support/client";

const KEY = "k".repeat(24);

async function setup() {
  const doc = await createDoc();
  const editor = await connect(doc.id, doc.editToken);
  editor.para().insert(0, "Text to talk about.");
  await editor.saved();
  return { doc, editor, base: `/api/docs/${doc.id}/threads` };
}

describe("comment input", () => {
  it("a person cannot post as the AI: names that read as AI are marked, and comments carry their kind", async () => {
    const { doc, editor, base } = await setup();
    const t = (await api("POST", base, doc.commentToken, { quote: "Text", body: "first", author: "Cleo" })).body as unknown as Thread;
    expect(t.comments[0]).toMatchObject({ author: "Cleo", kind: "person" });
    const disguises: [string, string][] = [
      ["AI", "AI (person)"],
      ["ai", "ai (person)"],
      [" A  I ", "A I (person)"],
      ["A\u200bI", "AI (person)"], // zero-width space
      ["A\u2060\u00a0I", "A I (person)"], // word joiner, no-break space
      ["\uff21\uff29", "\uff21\uff29 (person)"], // full-width
      ["\u0410.\u0406", "\u0410.\u0406 (person)"], // Cyrillic А.І
      ["a\u3164i", "a\u3164i (person)"], // Hangul filler
      ["A\u202eI", "AI (person)"], // bidi override
      ["Al", "Al"], // a name (lower-case L)
      ["Aina", "Aina"],
    ];
    for (const [author, stored] of disguises) {
      const res = await api("POST", `${base}/${t.id}/comments`, doc.commentToken, { body: "I am the AI", author });
      expect(res.status).toBe(201);
      expect(res.body as unknown as Comment).toMatchObject({ author: stored, kind: "person" });
    }
    editor.close();
  });

  it("replaces lone surrogates and drops control characters in bodies and names", async () => {
    const { doc, editor, base } = await setup();
    const made = await api("POST", base, doc.commentToken, {
      quote: "talk",
      body: "half a pair \ud83d here\u0000, \udc00 there\r\nnext line",
      author: "Ana \ud83d",
      authorKey: KEY,
    });
    expect(made.status).toBe(201);
    const t = made.body as unknown as Thread;
    expect(t.comments[0]).toMatchObject({ author: "Ana \ufffd", body: "half a pair \ufffd here, \ufffd there\nnext line" });
    const edited = await api("PATCH", `${base}/${t.id}/comments/${t.comments[0]!.id}`, doc.commentToken, {
      body: "\udbff!",
      authorKey: KEY,
    });
    expect(edited.body).toMatchObject({ body: "\ufffd!" });
    const read = (await api("GET", `${base}/${t.id}`, doc.viewToken)).body as unknown as ThreadResponse;
    expect(read.comments.map((c) => [c.author, c.body])).toEqual([["Ana \ufffd", "\ufffd!"]]);
    editor.close();
  });
});
