/** The per-user "Suggesting" switch as a Tiptap extension: while on, this editor's
 * own changes become suggestions (transform.ts). Remote changes (Yjs) and undo/redo
 * (which come back through Yjs) pass untouched. */
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { SUGGEST_AS, SUGGEST_SKIP, type SuggestAs, suggestTransaction } from "./transform";

export interface SuggestionsOptions {
  clientId: () => number;
  author: () => string;
}

export const suggestKey = new PluginKey("quire-suggest");

export const Suggestions = Extension.create<SuggestionsOptions, { on: boolean; counter: number }>({
  name: "suggestions",
  addOptions() {
    return { clientId: () => 0, author: () => "" };
  },
  addStorage() {
    return { on: false, counter: 0 };
  },
  addProseMirrorPlugins() {
    const storage = this.storage;
    const options = this.options;
    return [
      new Plugin({
        key: suggestKey,
        appendTransaction(trs, oldState, newState) {
          if (trs.length !== 1) return null;
          const tr = trs[0]!;
          const as = tr.getMeta(SUGGEST_AS) as SuggestAs | undefined;
          if (!storage.on && !as) return null;
          if (!tr.docChanged || tr.getMeta(SUGGEST_SKIP) || tr.getMeta(ySyncPluginKey)) return null;
          const prefix = `${options.clientId()}-`;
          return suggestTransaction(tr, oldState, newState, {
            author: as?.author ?? options.author(),
            command: as?.command ?? null,
            model: as?.model ?? null,
            ownPrefix: prefix,
            nextId: () => `${prefix}${++storage.counter}`,
            now: () => Date.now(),
          });
        },
      }),
    ];
  },
});
