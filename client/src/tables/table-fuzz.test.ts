/**
 * Two editors change the same table concurrently (rows, columns, header row, typing),
 * each through y-prosemirror's own write path (updateYFragment, as the editor binding
 * does), and sync at random moments. Whatever the interleaving, both must end with the
 * same document, one the schema accepts, with no cell spanning past its table.
 */
import { getSchema } from "@tiptap/core";
import type { Node } from "@tiptap/pm/model";
import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import {
  addColumnAfter,
  addColumnBefore,
  addRowAfter,
  addRowBefore,
  deleteColumn,
  deleteRow,
  TableMap,
  toggleHeaderRow,
} from "@tiptap/pm/tables";
import { initProseMirrorDoc, prosemirrorJSONToYXmlFragment, updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../../shared/api";
import { schemaExtensions } from "../../../shared/schema";

const schema = getSchema(schemaExtensions());
type Command = (state: EditorState, dispatch?: (tr: Transaction) => void) => boolean;
const type: Command = (state, dispatch) => {
  dispatch?.(state.tr.insertText("x"));
  return true;
};
const OPS: [string, Command][] = [
  ["addRowBefore", addRowBefore],
  ["addRowAfter", addRowAfter],
  ["deleteRow", deleteRow],
  ["addColumnBefore", addColumnBefore],
  ["addColumnAfter", addColumnAfter],
  ["deleteColumn", deleteColumn],
  ["toggleHeaderRow", toggleHeaderRow],
  ["type", type],
];

/** Deterministic, so a failing seed can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

const cell = (text: string, header = false) => ({
  type: header ? "tableHeader" : "tableCell",
  content: [{ type: "paragraph", content: [{ type: "text", text }] }],
});
const START = {
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: "Before" }] },
    {
      type: "table",
      content: [0, 1, 2].map((r) => ({ type: "tableRow", content: [0, 1, 2].map((c) => cell(`${r}${c}`, r === 0)) })),
    },
    { type: "paragraph", content: [{ type: "text", text: "After" }] },
  ],
};

/** Returns whether the edit changed the document. */
function edit(doc: Y.Doc, pick: (n: number) => number): boolean {
  const fragment = doc.getXmlFragment(YDOC_CONTENT_FIELD);
  const { doc: pm, meta } = initProseMirrorDoc(fragment, schema);
  const cells: number[] = [];
  pm.descendants((n, pos) => {
    if (n.type.name === "tableCell" || n.type.name === "tableHeader") cells.push(pos);
    return true;
  });
  if (cells.length === 0) return false;
  let state = EditorState.create({ doc: pm, schema });
  state = state.apply(state.tr.setSelection(TextSelection.near(state.doc.resolve(cells[pick(cells.length)]! + 1))));
  const [, command] = OPS[pick(OPS.length)]!;
  command(state, (tr) => {
    state = state.apply(tr);
  });
  if (state.doc.eq(pm)) return false;
  updateYFragment(doc, fragment, state.doc, meta);
  return true;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Spans inside the table, and no two cells on one slot. Rows left short by concurrent
 * column changes are allowed (the schema allows them and the table still renders). */
function tableProblems(root: Node): string[] {
  const out: string[] = [];
  root.descendants((node) => {
    if (node.type.name !== "table") return true;
    const map = TableMap.get(node);
    for (const p of map.problems ?? []) if (p.type === "collision" || p.type === "overlong_rowspan") out.push(p.type);
    node.forEach((row) => {
      row.forEach((c) => {
        const { colspan, rowspan } = c.attrs as { colspan: number; rowspan: number };
        if (!(colspan >= 1 && rowspan >= 1 && colspan <= map.width && rowspan <= map.height)) out.push(`span ${colspan}x${rowspan}`);
      });
    });
    return false;
  });
  return out;
}

describe("two editors changing one table concurrently", () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`converges to one schema-valid table (seed ${seed})`, () => {
      const pick = rng(seed);
      const a = new Y.Doc();
      const b = new Y.Doc();
      prosemirrorJSONToYXmlFragment(schema, START, a.getXmlFragment(YDOC_CONTENT_FIELD));
      sync(a, b);
      let changed = 0;
      for (let round = 0; round < 120; round++) {
        if (edit(pick(2) === 0 ? a : b, pick)) changed += 1;
        if (pick(4) === 0) sync(a, b);
      }
      sync(a, b);
      // The fuzz really fuzzed: most rounds changed the table.
      expect(changed).toBeGreaterThan(60);
      const docA = yXmlFragmentToProseMirrorRootNode(a.getXmlFragment(YDOC_CONTENT_FIELD), schema);
      const docB = yXmlFragmentToProseMirrorRootNode(b.getXmlFragment(YDOC_CONTENT_FIELD), schema);
      expect(docA.toJSON()).toEqual(docB.toJSON());
      expect(() => docA.check()).not.toThrow();
      expect(tableProblems(docA)).toEqual([]);
      expect(docA.textContent).toContain("Before");
      expect(docA.textContent).toContain("After");
    });
  }
});
