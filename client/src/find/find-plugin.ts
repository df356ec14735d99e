/** Find's state lives in a ProseMirror plugin, registered while the find bar is open:
 * the query, the matches and the current one, shown as decorations. Decorations and plugin state are this browser's view only;
 * setting them is a meta-only transaction, which never reaches the shared Y.Doc. */
import type { Editor } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { type FindOptions, findMatches, type Match } from "./find-matches";

export interface FindState extends FindOptions {
  query: string;
  matches: Match[];
  /** Index into matches, or -1. */
  current: number;
}

const EMPTY: FindState = { query: "", caseSensitive: false, wholeWord: false, matches: [], current: -1 };

export const findKey = new PluginKey<FindState>("quireFindState");

export const findState = (state: EditorState): FindState => findKey.getState(state) ?? EMPTY;

/** Sets the query and options (current: the first match at or after `from`). */
export function setFind(editor: Editor, query: string, options: FindOptions): void {
  const { state, view } = editor;
  const matches = findMatches(state.doc, query, options);
  const from = state.selection.from;
  const at = matches.findIndex((m) => m.to >= from);
  view.dispatch(state.tr.setMeta(findKey, { query, ...options, matches, current: matches.length ? Math.max(0, at) : -1 }));
}

/** Moves to the next (+1) or previous (-1) match, selecting and scrolling to it. */
export function stepFind(editor: Editor, dir: 1 | -1): void {
  const { state, view } = editor;
  const f = findState(state);
  if (f.matches.length === 0) return;
  const current = (f.current + dir + f.matches.length) % f.matches.length;
  view.dispatch(state.tr.setMeta(findKey, { ...f, current }));
  const m = f.matches[current]!;
  const node = view.domAtPos(m.from).node;
  const el = node instanceof HTMLElement ? node : node.parentElement;
  el?.scrollIntoView({ block: "center" });
}

/** The plugin holding find's state and drawing the matches; the find bar registers it
 * while it is open. */
export function findPlugin(): Plugin<FindState> {
  return new Plugin<FindState>({
    key: findKey,
    state: {
      init: () => EMPTY,
      apply(tr, prev, _old, next) {
        const set = tr.getMeta(findKey) as FindState | undefined;
        if (set) return set;
        if (!tr.docChanged || prev.query === "") return prev;
        // Anyone's edit (typing, a remote update, a replace) can add or remove matches.
        const matches = findMatches(next.doc, prev.query, prev);
        return { ...prev, matches, current: matches.length ? Math.min(Math.max(prev.current, 0), matches.length - 1) : -1 };
      },
    },
    props: {
      decorations(state) {
        const f = findState(state);
        if (f.matches.length === 0) return DecorationSet.empty;
        return DecorationSet.create(
          state.doc,
          f.matches.map((m, i) => Decoration.inline(m.from, m.to, { class: i === f.current ? "find-match find-current" : "find-match" })),
        );
      },
    },
  });
}
