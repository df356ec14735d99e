/**
 * Suggestion mode on ProseMirror states: what people do becomes suggestions (text,
 * formatting, block types, splits and joins, tables, images), accepting gives what the
 * edit would have given and rejecting gives the original back exactly.
 * The three-client convergence fuzz is in suggestions.fuzz.test.ts.
 */
import { createTable } from "@tiptap/extension-table";
import { joinBackward, setBlockType, splitBlock, toggleMark, wrapIn } from "@tiptap/pm/commands";
import { Fragment, type Node as PMNode, Slice } from "@tiptap/pm/model";
import { wrapInList } from "@tiptap/pm/schema-list";
import { type Command, EditorState, NodeSelection, TextSelection, type Transaction } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import { suggestions } from "./list";
import { resolveSuggestions } from "./resolve";
import { docOf, schema } from "./test-docs";
import { suggestTransaction } from "./transform";

function suggesting(clientId: number, author = "Sam") {
  let n = 0;
  return { author, ownPrefix: `${clientId}-`, nextId: () => `${clientId}-${++n}`, now: () => 1000 };
}

/** Runs `change` as the user would with suggestion mode on: the transaction it makes is
 * replaced by its suggestion before it is applied. */
function suggest(state: EditorState, change: (tr: Transaction) => void, opts = suggesting(7)): EditorState {
  const tr = state.tr;
  change(tr);
  const out = suggestTransaction(tr, state, opts);
  expect(out, "the change could be suggested").not.toBeNull();
  return state.apply(out!);
}

/** Runs a command as the user would with suggestion mode on. */
function suggestCommand(state: EditorState, command: Command, opts = suggesting(7)): EditorState {
  let next: EditorState | null = null;
  const ran = command(state, (tr) => {
    const out = suggestTransaction(tr, state, opts);
    expect(out, "the change could be suggested").not.toBeNull();
    next = state.apply(out!);
  });
  expect(ran, "the command ran").toBe(true);
  return next!;
}

const at = (doc: PMNode, text: string, offset = 0) => {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text!.includes(text)) found = pos + node.text!.indexOf(text) + offset;
    return found < 0;
  });
  if (found < 0) throw new Error(`no "${text}"`);
  return found;
};
const withCaret = (s: EditorState, pos: number) => s.apply(s.tr.setSelection(TextSelection.create(s.doc, pos)));
const withRange = (s: EditorState, from: number, to: number) => s.apply(s.tr.setSelection(TextSelection.create(s.doc, from, to)));
const all = (s: EditorState, accept: boolean) => {
  const tr = resolveSuggestions(s, null, accept);
  return tr ? s.apply(tr).doc : s.doc;
};
const textOf = (doc: PMNode) => doc.textContent;
const kinds = (doc: PMNode) => suggestions(doc).map((x) => x.label);

/** What the document would be after the same command applied directly. */
function direct(state: EditorState, command: Command): PMNode {
  let doc: PMNode | null = null;
  command(state, (tr) => {
    doc = tr.doc;
  });
  return doc!;
}

describe("suggestion mode: text", () => {
  it("marks typed text as an insertion and keeps typing in the same change", () => {
    const opts = suggesting(7);
    let s = EditorState.create({ schema, doc: docOf("hello world") });
    s = suggest(s, (tr) => tr.insertText("big ", 7), opts);
    s = suggest(s, (tr) => tr.insertText("!", 11), opts);
    expect(suggestions(s.doc)).toMatchObject([{ id: "7-1", kind: "insertion", inserted: "big !", author: "Sam" }]);
    expect(textOf(s.doc)).toBe("hello big !world");
  });

  it("keeps deleted text, struck through; deleting one's own insertion removes it", () => {
    const opts = suggesting(7);
    let s = EditorState.create({ schema, doc: docOf("hello world") });
    s = suggest(s, (tr) => tr.delete(1, 7), opts);
    expect(textOf(s.doc)).toBe("hello world");
    expect(kinds(s.doc)).toEqual(["Delete “hello ”"]);
    s = suggest(s, (tr) => tr.insertText("XY", 12), opts);
    s = suggest(s, (tr) => tr.delete(12, 14), opts);
    expect(textOf(s.doc)).toBe("hello world");
    expect(kinds(s.doc)).toEqual(["Delete “hello ”"]);
  });

  it("puts Backspace's caret before the struck text and Delete's after it", () => {
    const opts = suggesting(7);
    let s = withCaret(EditorState.create({ schema, doc: docOf("abc") }), 3);
    s = suggest(s, (tr) => tr.delete(2, 3), opts);
    expect(textOf(s.doc)).toBe("abc");
    expect(s.selection.head).toBe(2);
    s = withCaret(s, 1);
    s = suggest(s, (tr) => tr.delete(1, 2), opts);
    expect(s.selection.head).toBe(2);
    expect(kinds(s.doc).sort()).toEqual(["Delete “a”", "Delete “b”"]);
  });

  it("typing over a selection keeps the typed text in order, after the struck text, with the caret after it", () => {
    const opts = suggesting(7);
    let s = withRange(EditorState.create({ schema, doc: docOf("alpha beta gamma") }), 7, 11);
    // Double-click "beta", then type "NEW" key by key (each key replaces the selection).
    for (const key of "NEW") s = suggest(s, (tr) => tr.insertText(key), opts);
    expect(textOf(s.doc)).toBe("alpha betaNEW gamma");
    expect(kinds(s.doc)).toEqual(["Replace “beta” with “NEW”"]);
    expect(s.selection.head).toBe(14);
    expect(textOf(all(s, true))).toBe("alpha NEW gamma");
    expect(textOf(all(s, false))).toBe("alpha beta gamma");
  });

  it("accepts and rejects per change and all at once", () => {
    let s = EditorState.create({ schema, doc: docOf("one two three") });
    s = suggest(s, (tr) => tr.delete(5, 9), suggesting(1));
    s = suggest(s, (tr) => tr.insertText("four ", 1), suggesting(2));
    const [del, ins] = [suggestions(s.doc).find((x) => x.kind === "deletion")!, suggestions(s.doc).find((x) => x.kind === "insertion")!];
    expect(textOf(s.apply(resolveSuggestions(s, new Set([del.id]), true)!).doc)).toBe("four one three");
    const rejected = s.apply(resolveSuggestions(s, new Set([ins.id]), false)!);
    expect(textOf(rejected.doc)).toBe("one two three");
    expect(suggestions(rejected.doc).map((x) => x.kind)).toEqual(["deletion"]);
    expect(textOf(all(s, true))).toBe("four one three");
    expect(suggestions(all(s, true))).toEqual([]);
    expect(all(s, false).eq(docOf("one two three"))).toBe(true);
  });

  it("suggests text typed into a code block and inside inline code", () => {
    const code = schema.node("doc", null, [
      schema.node("codeBlock", null, [schema.text("let x")]),
      schema.node("paragraph", null, [schema.text("run it", [schema.marks.code!.create()])]),
    ]);
    const opts = suggesting(7);
    let s = EditorState.create({ schema, doc: code });
    s = suggest(s, (tr) => tr.insertText(" = 1", 6), opts);
    s = suggest(s, (tr) => tr.insertText("now ", at(s.doc, "it")), opts);
    expect(kinds(s.doc).sort()).toEqual(["Insert “ = 1”", "Insert “now ”"]);
    expect(all(s, false).eq(code)).toBe(true);
  });
});

/** For each command: suggested, then accepting all gives what the command does
 * directly, and rejecting all gives the original back, exactly. */
describe("suggestion mode: what people change", () => {
  const bold = schema.marks.bold!;
  const start = () => EditorState.create({ schema, doc: docOf("alpha beta gamma", "delta epsilon") });
  const cases: { name: string; label: RegExp; state: () => EditorState; command: Command }[] = [
    {
      name: "bold on a word",
      label: /^Format “beta”: bold$/,
      state: () => withRange(start(), 7, 11),
      command: toggleMark(bold),
    },
    {
      name: "bold removed",
      label: /^Format “alpha”: not bold$/,
      state: () => {
        const s = start();
        return withRange(s.apply(s.tr.addMark(1, 6, bold.create())), 1, 6);
      },
      command: toggleMark(bold),
    },
    {
      name: "Enter in the middle of a paragraph",
      label: /^A paragraph break$/,
      state: () => withCaret(start(), 7),
      command: splitBlock,
    },
    {
      name: "Enter at the end of a paragraph",
      label: /^A paragraph break$/,
      state: () => withCaret(start(), 17),
      command: splitBlock,
    },
    {
      name: "Backspace at the start of a paragraph",
      label: /^Joining two paragraphs$/,
      state: () => withCaret(start(), 19),
      command: joinBackward,
    },
    {
      name: "paragraph to heading",
      label: /^Heading 2 instead of paragraph$/,
      state: () => withCaret(start(), 3),
      command: setBlockType(schema.nodes.heading!, { level: 2 }),
    },
    {
      name: "paragraph into a bulleted list",
      label: /inserting a bulleted list.*deleting a paragraph|deleting a paragraph.*inserting a bulleted list/i,
      state: () => withCaret(start(), 3),
      command: wrapInList(schema.nodes.bulletList!),
    },
    {
      name: "paragraph into a quote",
      label: /quote/,
      state: () => withCaret(start(), 3),
      command: wrapIn(schema.nodes.blockquote!),
    },
    {
      name: "a table inserted at the end of a paragraph",
      label: /Inserting a table/,
      state: () => withCaret(start(), 32),
      command: (state, dispatch) => {
        dispatch?.(state.tr.replaceSelectionWith(createTable(schema, 2, 2, true)));
        return true;
      },
    },
    {
      name: "a table inserted in an empty last paragraph",
      label: /Inserting a table/,
      state: () => withCaret(EditorState.create({ schema, doc: docOf("alpha", "") }), 8),
      command: (state, dispatch) => {
        dispatch?.(state.tr.replaceSelectionWith(createTable(schema, 2, 2, true)));
        return true;
      },
    },
    {
      name: "an image inserted between paragraphs",
      label: /^Inserting an image$/,
      state: start,
      command: (state, dispatch) => {
        dispatch?.(state.tr.insert(18, schema.nodes.image!.create({ src: "https://example.com/a.png" })));
        return true;
      },
    },
    {
      name: "a line break",
      label: /^Inserting a line break$/,
      state: () => withCaret(start(), 7),
      command: (state, dispatch) => {
        dispatch?.(state.tr.replaceSelectionWith(schema.nodes.hardBreak!.create()));
        return true;
      },
    },
    {
      name: "a selection across two paragraphs deleted",
      label: /Delete “ gammadelta”; Joining two paragraphs/,
      state: () => withRange(start(), 11, 24),
      command: (state, dispatch) => {
        dispatch?.(state.tr.deleteSelection());
        return true;
      },
    },
  ];

  for (const c of cases) {
    it(`${c.name}: suggested, accepted as if done directly, rejected back to the original`, () => {
      const before = c.state();
      const s = suggestCommand(before, c.command);
      const list = suggestions(s.doc);
      expect(list, "one suggestion").toHaveLength(1);
      expect(list[0]!.label).toMatch(c.label);
      expect(list[0]!.id).toBe("7-1");
      expect(() => s.doc.check()).not.toThrow();
      const trailing = (d: PMNode) =>
        d.lastChild?.type.name === "paragraph" ? d : d.copy(d.content.addToEnd(schema.nodes.paragraph!.create()));
      expect(all(s, true).toJSON()).toEqual(trailing(direct(before, c.command)).toJSON());
      expect(all(s, false).toJSON()).toEqual(before.doc.toJSON());
    });
  }

  it("Enter then Backspace in Suggesting leaves nothing behind", () => {
    let s = withCaret(start(), 7);
    s = suggestCommand(s, splitBlock);
    s = suggestCommand(s, joinBackward);
    expect(s.doc.eq(start().doc)).toBe(true);
    expect(suggestions(s.doc)).toEqual([]);
  });

  it("a heading made and unmade leaves nothing behind; typing in a new paragraph is part of it", () => {
    let s = withCaret(start(), 3);
    s = suggestCommand(s, setBlockType(schema.nodes.heading!, { level: 1 }));
    s = suggestCommand(s, setBlockType(schema.nodes.paragraph!));
    expect(s.doc.eq(start().doc)).toBe(true);
    s = suggestCommand(withCaret(s, 17), splitBlock);
    s = suggest(s, (tr) => tr.insertText("new"));
    expect(all(s, false).eq(start().doc)).toBe(true);
    expect(textOf(all(s, true))).toBe("alpha beta gammanewdelta epsilon");
    expect(all(s, true).childCount).toBe(3);
  });

  it("deleting an image while Suggesting keeps it, marked, until accepted", () => {
    const img = schema.nodes.image!.create({ src: "https://example.com/a.png" });
    const doc = schema.node("doc", null, [schema.node("paragraph", null, [schema.text("a")]), img]);
    let s = EditorState.create({ schema, doc });
    s = s.apply(s.tr.setSelection(NodeSelection.create(s.doc, 3)));
    s = suggest(s, (tr) => tr.deleteSelection());
    expect(s.doc.childCount).toBe(2);
    expect(kinds(s.doc)).toEqual(["Deleting an image"]);
    expect(all(s, true).childCount).toBe(1);
    expect(all(s, false).eq(doc)).toBe(true);
  });

  it("changing an image's width is a suggestion, rejected back to the old width", () => {
    const img = schema.nodes.image!.create({ src: "https://example.com/a.png", width: 200 });
    const doc = schema.node("doc", null, [img]);
    let s = EditorState.create({ schema, doc });
    s = suggest(s, (tr) => tr.setNodeMarkup(0, undefined, { ...img.attrs, width: 300 }));
    expect(s.doc.firstChild!.attrs.width).toBe(300);
    expect(kinds(s.doc)).toEqual(["Image instead of image"]);
    expect(all(s, false).eq(doc)).toBe(true);
  });
});

describe("suggestion mode: AI answers", () => {
  it("an answer replacing the selected text is one suggestion: the old text struck, the answer inserted", () => {
    const s = EditorState.create({ schema, doc: docOf("A dull sentence.") });
    const tr = s.tr.replaceRange(
      1,
      17,
      new Slice(Fragment.from(schema.node("paragraph", null, [schema.text("A sharper sentence.")])), 1, 1),
    );
    const out = suggestTransaction(tr, s, { ...suggesting(1, "AI, asked by Ana"), command: "rewrite", model: "m" });
    const list = suggestions(s.apply(out!).doc);
    expect(list).toMatchObject([{ label: "Replace “A dull sentence.” with “A sharper sentence.”", command: "rewrite", model: "m" }]);
  });
});
