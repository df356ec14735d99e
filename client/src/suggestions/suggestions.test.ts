/**
 * Suggestion mode on ProseMirror states: typing and deleting become marks, accepting
 * and rejecting resolve them; and a convergence fuzz where three clients suggest,
 * accept, reject and edit concurrently through Yjs.
 */
import { getSchema } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { initProseMirrorDoc, updateYFragment } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { schemaExtensions } from "../../../shared/schema";
import { resolveSuggestions, suggestions } from "./changes";
import { suggestTransaction } from "./transform";

const schema = getSchema(schemaExtensions());

function docOf(...paras: string[]): PMNode {
  return schema.node(
    "doc",
    null,
    paras.map((t) => schema.node("paragraph", null, t ? [schema.text(t)] : [])),
  );
}

function suggesting(clientId: number, author = "Sam") {
  let n = 0;
  return { author, ownPrefix: `${clientId}-`, nextId: () => `${clientId}-${++n}`, now: () => 1000 };
}

/** Applies `change` as the user would, with suggestion mode on. */
function suggest(state: EditorState, change: (tr: Transaction) => void, opts = suggesting(7)): EditorState {
  const tr = state.tr;
  change(tr);
  const next = state.apply(tr);
  const extra = suggestTransaction(tr, state, next, opts);
  return extra ? next.apply(extra) : next;
}

const textOf = (doc: PMNode) => doc.textContent;

describe("suggestion mode", () => {
  it("marks typed text as an insertion and keeps typing in the same change", () => {
    const opts = suggesting(7);
    let s = EditorState.create({ schema, doc: docOf("hello world") });
    s = suggest(s, (tr) => tr.insertText("big ", 7), opts);
    s = suggest(s, (tr) => tr.insertText("!", 11), opts);
    const list = suggestions(s.doc);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: "7-1", kind: "insertion", text: "big !", author: "Sam" });
    expect(textOf(s.doc)).toBe("hello big !world");
  });

  it("keeps deleted text, struck through; deleting one's own insertion removes it", () => {
    const opts = suggesting(7);
    let s = EditorState.create({ schema, doc: docOf("hello world") });
    s = suggest(s, (tr) => tr.delete(1, 7), opts);
    expect(textOf(s.doc)).toBe("hello world");
    expect(suggestions(s.doc)).toMatchObject([{ kind: "deletion", text: "hello " }]);
    s = suggest(s, (tr) => tr.insertText("XY", 12), opts);
    s = suggest(s, (tr) => tr.delete(12, 14), opts);
    expect(textOf(s.doc)).toBe("hello world");
    expect(suggestions(s.doc).map((x) => x.kind)).toEqual(["deletion"]);
  });

  it("turns a replacement into a deletion plus an insertion, and puts Backspace's caret before the struck text", () => {
    let s = EditorState.create({ schema, doc: docOf("abc") });
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, 3)));
    s = suggest(s, (tr) => tr.delete(2, 3));
    expect(textOf(s.doc)).toBe("abc");
    expect(s.selection.head).toBe(2);
    s = suggest(s, (tr) => tr.replaceWith(1, 2, schema.text("Z")));
    expect(textOf(s.doc)).toBe("aZbc");
    expect(
      suggestions(s.doc)
        .map((x) => `${x.kind}:${x.text}`)
        .sort(),
    ).toEqual(["deletion:a", "deletion:b", "insertion:Z"]);
  });

  it("typing over a selection keeps the typed text in order, after the struck text, with the caret after it", () => {
    const opts = suggesting(7);
    let s = EditorState.create({ schema, doc: docOf("alpha beta gamma") });
    // Double-click "beta", then type "NEW" key by key (each key replaces the selection).
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, 7, 11)));
    for (const key of "NEW") s = suggest(s, (tr) => tr.insertText(key), opts);
    expect(textOf(s.doc)).toBe("alpha betaNEW gamma");
    expect(
      suggestions(s.doc)
        .map((x) => `${x.kind}:${x.text}`)
        .sort(),
    ).toEqual(["deletion:beta", "insertion:NEW"]);
    expect(s.selection.head).toBe(14);
    expect(textOf(s.apply(resolveSuggestions(s, null, true)!).doc)).toBe("alpha NEW gamma");
    expect(textOf(s.apply(resolveSuggestions(s, null, false)!).doc)).toBe("alpha beta gamma");
  });

  it("accepts and rejects per change and all at once", () => {
    let s = EditorState.create({ schema, doc: docOf("one two three") });
    s = suggest(s, (tr) => tr.delete(5, 9), suggesting(1));
    s = suggest(s, (tr) => tr.insertText("four ", 1), suggesting(2));
    const [del, ins] = [suggestions(s.doc).find((x) => x.kind === "deletion")!, suggestions(s.doc).find((x) => x.kind === "insertion")!];
    const accepted = s.apply(resolveSuggestions(s, new Set([del.id]), true)!);
    expect(textOf(accepted.doc)).toBe("four one three");
    const rejected = s.apply(resolveSuggestions(s, new Set([ins.id]), false)!);
    expect(textOf(rejected.doc)).toBe("one two three");
    expect(suggestions(rejected.doc).map((x) => x.kind)).toEqual(["deletion"]);
    const all = s.apply(resolveSuggestions(s, null, true)!);
    expect(textOf(all.doc)).toBe("four one three");
    expect(suggestions(all.doc)).toEqual([]);
    const none = s.apply(resolveSuggestions(s, null, false)!);
    expect(textOf(none.doc)).toBe("one two three");
    expect(suggestions(none.doc)).toEqual([]);
  });
});

/** A small deterministic PRNG, so a failing seed can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe("convergence fuzz", () => {
  it("three clients suggesting, accepting, rejecting and editing concurrently converge to a valid document", () => {
    let made = 0;
    let resolved = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rand = rng(seed);
      const pick = (n: number) => Math.floor(rand() * n);
      const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
      docs.forEach((d, i) => {
        d.clientID = 100 + i;
      });
      const frag = (d: Y.Doc) => d.getXmlFragment("default");
      // A shared starting text.
      const first = initProseMirrorDoc(frag(docs[0]!), schema);
      updateYFragment(docs[0]!, frag(docs[0]!), docOf("alpha beta gamma", "delta epsilon"), first.meta);
      for (const d of docs.slice(1)) Y.applyUpdate(d, Y.encodeStateAsUpdate(docs[0]!));
      const counters = [0, 0, 0];

      for (let step = 0; step < 60; step++) {
        const c = pick(3);
        const d = docs[c]!;
        const { doc, meta } = initProseMirrorDoc(frag(d), schema);
        const state = EditorState.create({ schema, doc });
        const size = doc.content.size;
        const pos = () => {
          const p = Math.max(1, Math.min(size - 1, 1 + pick(size)));
          return TextSelection.near(doc.resolve(p)).from;
        };
        const opts = { author: `C${c}`, ownPrefix: `${d.clientID}-`, nextId: () => `${d.clientID}-${++counters[c]!}`, now: () => step };
        let next: EditorState = state;
        const kind = pick(5);
        if (kind === 0 || kind === 1) {
          const at = pos();
          const tr = state.tr;
          if (kind === 0) tr.insertText(["x", "yz", " w "][pick(3)]!, at);
          else {
            const b = pos();
            const [from, to] = at <= b ? [at, b] : [b, at];
            if (to > from && doc.resolve(from).sameParent(doc.resolve(to))) tr.delete(from, to);
          }
          next = state.apply(tr);
          const extra = tr.docChanged ? suggestTransaction(tr, state, next, opts) : null;
          if (extra) {
            next = next.apply(extra);
            made++;
          }
        } else if (kind === 2 || kind === 3) {
          const list = suggestions(doc);
          if (list.length > 0) {
            const tr = resolveSuggestions(state, rand() < 0.8 ? new Set([list[pick(list.length)]!.id]) : null, kind === 2);
            if (tr) {
              next = state.apply(tr);
              resolved++;
            }
          }
        } else {
          // An ordinary edit, not suggested.
          next = state.apply(state.tr.insertText("o", pos()));
        }
        d.transact(() => updateYFragment(d, frag(d), next.doc, meta));
        // Random partial sync.
        if (rand() < 0.5) {
          const a = docs[pick(3)]!;
          const b = docs[pick(3)]!;
          Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
        }
      }
      for (const a of docs) for (const b of docs) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
      const json = docs.map((d) => initProseMirrorDoc(frag(d), schema).doc.toJSON());
      expect(json[1], `seed ${seed}`).toEqual(json[0]);
      expect(json[2], `seed ${seed}`).toEqual(json[0]);
      // Fits the schema (marks and attributes included).
      const final = schema.nodeFromJSON(json[0]);
      expect(() => final.check(), `seed ${seed}`).not.toThrow();
      for (const s of suggestions(final)) expect(s.id, `seed ${seed}`).toMatch(/^10[0-2]-\d+$/);
    }
    // The fuzz really exercised both sides.
    expect(made).toBeGreaterThan(100);
    expect(resolved).toBeGreaterThan(50);
  });
});
