/** The comment anchor is a mark, so it survives what marks survive: cut and paste
 * inside the document (the mark travels in the slice) and undo of a deletion (Yjs
 * restores the deleted text with its formatting). */
import { EditorState } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { COMMENT_MARK } from "./comments";
import { editorSchema } from "./schema";

const THREAD = "thread_0123456789";

describe("comment anchors", () => {
  it("travel with cut and paste inside the document", () => {
    const schema = editorSchema();
    const doc = schema.nodeFromJSON({
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "Hello " },
            { type: "text", text: "world", marks: [{ type: COMMENT_MARK, attrs: { threadId: THREAD } }] },
          ],
        },
        { type: "paragraph", content: [{ type: "text", text: "Second" }] },
      ],
    });
    const state = EditorState.create({ doc });
    // "world" is at 7..12; cut it, then paste it at the end of the second paragraph.
    const slice = state.doc.slice(7, 12);
    const tr = state.tr.delete(7, 12);
    const end = tr.doc.child(0).nodeSize + tr.doc.child(1).nodeSize - 1;
    tr.replace(end, end, slice);
    const pasted = tr.doc.child(1).lastChild!;
    expect(pasted.text).toBe("world");
    expect(pasted.marks.find((m) => m.type.name === COMMENT_MARK)?.attrs.threadId).toBe(THREAD);
    expect(tr.doc.child(0).textContent).toBe("Hello ");
  });

  it("come back with undo after their text was deleted", () => {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment("default");
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText("Hello world");
    paragraph.insert(0, [text]);
    fragment.insert(0, [paragraph]);
    // The server sets the anchor (its own origin, not in anyone's undo history).
    ydoc.transact(() => text.format(6, 5, { [COMMENT_MARK]: { threadId: THREAD } }), "server");
    const undo = new Y.UndoManager(fragment);
    ydoc.transact(() => text.delete(6, 5));
    expect(text.toString()).toBe("Hello ");
    undo.undo();
    const delta = text.toDelta() as { insert: string; attributes?: Record<string, { threadId: string }> }[];
    expect(delta.map((d) => d.insert).join("")).toBe("Hello world");
    expect(delta.find((d) => d.insert === "world")?.attributes?.[COMMENT_MARK]?.threadId).toBe(THREAD);
  });
});
