/**
 * Three clients suggest (text, formatting, block types, splits and joins, lists,
 * tables, images), accept, reject and edit directly, concurrently, through Yjs with
 * random partial syncs: they converge to one document that fits the schema, whose
 * suggestions all carry `<clientID>-<counter>` ids, and which can still be accepted or
 * rejected as a whole. `FUZZ_SEEDS=150 npx vitest run <this file>` runs it longer (150 seeds pass).
 */
import { createTable } from "@tiptap/extension-table";
import { joinBackward, setBlockType, splitBlock, toggleMark } from "@tiptap/pm/commands";
import type { Node as PMNode } from "@tiptap/pm/model";
import { wrapInList } from "@tiptap/pm/schema-list";
import { type Command, EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { initProseMirrorDoc, updateYFragment } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SUGGESTION_NODE_ATTRS } from "../../../shared/schema-suggestion";
import { originalDoc } from "../../../shared/suggestion-view";
import { suggestions } from "./list";
import { resolveSuggestions } from "./resolve";
import { docOf, schema } from "./test-docs";
import { suggestTransaction } from "./transform";

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

/** 16 seeds; more with FUZZ_SEEDS (the client's types know no `process`). */
const SEEDS = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.FUZZ_SEEDS ?? 16);

const frag = (d: Y.Doc) => d.getXmlFragment("default");

/** A command that dispatches the transaction `make` builds. */
const cmd =
  (make: (s: EditorState) => Transaction): Command =>
  (s, dispatch) => {
    dispatch?.(make(s));
    return true;
  };

/** Every suggestion id in a document, marks and node records alike. */
function ids(doc: PMNode): string[] {
  const out: string[] = [];
  doc.descendants((node) => {
    for (const m of node.marks) if (typeof m.attrs.id === "string") out.push(m.attrs.id);
    for (const a of SUGGESTION_NODE_ATTRS) if (node.attrs[a]) out.push(JSON.parse(node.attrs[a] as string).id);
    return true;
  });
  return out;
}

describe("convergence fuzz", () => {
  it("three clients suggesting every kind of change, accepting, rejecting and editing concurrently converge to a valid document", () => {
    const counts = { made: 0, resolved: 0, structural: 0 };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rand = rng(seed);
      const pick = (n: number) => Math.floor(rand() * n);
      const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
      docs.forEach((d, i) => {
        d.clientID = 100 + i;
      });
      const first = initProseMirrorDoc(frag(docs[0]!), schema);
      updateYFragment(docs[0]!, frag(docs[0]!), docOf("alpha beta gamma", "delta epsilon", "zeta eta"), first.meta);
      for (const d of docs.slice(1)) Y.applyUpdate(d, Y.encodeStateAsUpdate(docs[0]!));
      const counters = [0, 0, 0];

      for (let step = 0; step < 80; step++) {
        const c = pick(3);
        const d = docs[c]!;
        const { doc, meta } = initProseMirrorDoc(frag(d), schema);
        const size = doc.content.size;
        // A position inside text (a textblock), as a caret can be.
        const pos = () => {
          const $p = doc.resolve(Math.max(1, Math.min(size - 1, 1 + pick(size))));
          return (TextSelection.findFrom($p, 1, true) ?? TextSelection.findFrom($p, -1, true))!.from;
        };
        const range = () => {
          const [a, b] = [pos(), pos()].sort((x, y) => x - y) as [number, number];
          return TextSelection.create(doc, a, b);
        };
        let state = EditorState.create({ schema, doc, selection: TextSelection.create(doc, pos()) });
        const opts = { author: `C${c}`, ownPrefix: `${d.clientID}-`, nextId: () => `${d.clientID}-${++counters[c]!}`, now: () => step };
        /** Runs a command with suggestion mode on. */
        const suggest = (command: Command, structural = false) => {
          command(state, (tr: Transaction) => {
            const out = suggestTransaction(tr, state, opts);
            if (out) {
              state = state.apply(out);
              counts.made++;
              if (structural) counts.structural++;
            }
          });
        };
        const kind = pick(12);
        if (kind === 0) suggest(cmd((s) => s.tr.insertText(["x", "yz", " w "][pick(3)]!, pos())));
        else if (kind === 1) {
          const sel = range();
          if (sel.$from.sameParent(sel.$to) && !sel.empty) suggest(cmd((s) => s.tr.delete(sel.from, sel.to)));
        } else if (kind === 2 || kind === 3) {
          const list = suggestions(doc);
          if (list.length > 0) {
            const tr = resolveSuggestions(state, rand() < 0.8 ? new Set([list[pick(list.length)]!.id]) : null, kind === 2);
            if (tr) {
              state = state.apply(tr);
              counts.resolved++;
            }
          }
        } else if (kind === 4) {
          state = state.apply(state.tr.insertText("o", pos())); // an ordinary edit, not suggested
        } else {
          state = state.apply(state.tr.setSelection(kind === 5 ? range() : TextSelection.create(doc, pos())));
          const commands: Record<number, Command> = {
            5: toggleMark(schema.marks[["bold", "italic"][pick(2)]!]!),
            6: setBlockType(schema.nodes.heading!, { level: 1 + pick(3) }),
            7: setBlockType(schema.nodes.paragraph!),
            8: splitBlock,
            9: (s) => {
              // Backspace at the start of the textblock the caret is in.
              const start = s.selection.$from.start();
              state = s.apply(s.tr.setSelection(TextSelection.create(s.doc, start)));
              return joinBackward(state, (tr) =>
                suggest(
                  cmd(() => tr),
                  true,
                ),
              );
            },
            10: cmd((s) =>
              s.tr.replaceSelectionWith(
                rand() < 0.5 ? createTable(schema, 2, 2, false) : schema.nodes.image!.create({ src: "https://example.com/i.png" }),
              ),
            ),
            11: wrapInList(schema.nodes.bulletList!),
          };
          if (kind === 9) commands[9]!(state);
          else suggest(commands[kind]!, kind !== 5);
        }
        d.transact(() => updateYFragment(d, frag(d), state.doc, meta));
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
      // Fits the schema (marks and attributes included), ids as the server wants them.
      const final = schema.nodeFromJSON(json[0]);
      expect(() => final.check(), `seed ${seed}`).not.toThrow();
      for (const id of ids(final)) expect(id, `seed ${seed}`).toMatch(/^10[0-2]-\d+$/);
      // And can still be resolved as a whole, either way, into a valid document without suggestions.
      const state = EditorState.create({ schema, doc: final });
      for (const accept of [true, false]) {
        const tr = resolveSuggestions(state, null, accept);
        const after = tr ? state.apply(tr).doc : final;
        expect(() => after.check(), `seed ${seed}`).not.toThrow();
        expect(ids(after), `seed ${seed} ${accept ? "accepted" : "rejected"}`).toEqual([]);
        // The server's accepted view (exports, AI input) is the document with every suggestion rejected.
        if (!accept) expect(originalDoc(final).toJSON(), `seed ${seed}`).toEqual(after.toJSON());
      }
    }
    console.log(`suggestion fuzz: ${JSON.stringify(counts)}`);
    // The fuzz really exercised every side.
    expect(counts.made).toBeGreaterThan(300);
    expect(counts.structural).toBeGreaterThan(150);
    expect(counts.resolved).toBeGreaterThan(50);
  }, 60_000);
});
