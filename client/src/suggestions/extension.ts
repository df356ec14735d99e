/**
 * The per-user "Suggesting" switch as a Tiptap extension: while on, each transaction
 * this editor makes is replaced, before it is applied, by the same change as a
 * suggestion (transform.ts). Remote changes and undo/redo (both come through Yjs) and
 * accept/reject pass untouched.
 *
 * The machinery (transform, accept/reject) is a separate chunk, fetched when the editor
 * is idle after it shows; the switch turns on only once it is there, so no keystroke
 * made while Suggesting is ever applied directly.
 */
import { Extension } from "@tiptap/core";
import type { EditorState, Transaction } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { SUGGEST_AS, SUGGEST_SKIP, type SuggestAs, type SuggestOptions } from "./meta";

type Machinery = typeof import("./machinery");

export interface SuggestionsOptions {
  clientId: () => number;
  author: () => string;
}

export interface SuggestionsStorage {
  on: boolean;
  counter: number;
  /** The loaded machinery, or null until it is. */
  machinery: Machinery | null;
  load(): Promise<Machinery>;
}

let loading: Promise<Machinery> | null = null;
/** Fetches the suggestion machinery once per page. */
export function loadMachinery(): Promise<Machinery> {
  loading ??= import("./machinery").catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

export const Suggestions = Extension.create<SuggestionsOptions, SuggestionsStorage>({
  name: "suggestions",
  addOptions() {
    return { clientId: () => 0, author: () => "" };
  },
  addStorage() {
    return {
      on: false,
      counter: 0,
      machinery: null,
      load() {
        return loadMachinery().then((m) => {
          this.machinery = m;
          return m;
        });
      },
    };
  },
  onCreate() {
    // Fetched while nobody waits for it, so that turning Suggesting on is instant.
    const idle = (globalThis as { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback ?? ((f) => setTimeout(f, 1500));
    idle(() => void this.storage.load().catch(() => {}));
  },
  dispatchTransaction({ transaction: tr, next }) {
    const as = tr.getMeta(SUGGEST_AS) as SuggestAs | undefined;
    if ((!this.storage.on && !as) || !tr.docChanged || tr.getMeta(SUGGEST_SKIP) || tr.getMeta(ySyncPluginKey)) return next(tr);
    const m = this.storage.machinery;
    if (!m) {
      // Only an AI "Suggest" can get here before the machinery is in: refused, not applied directly.
      console.warn("Suggesting is not ready yet; the change was not applied");
      return;
    }
    const prefix = `${this.options.clientId()}-`;
    const options: SuggestOptions = {
      author: as?.author ?? this.options.author(),
      command: as?.command ?? null,
      model: as?.model ?? null,
      ownPrefix: prefix,
      nextId: () => `${prefix}${++this.storage.counter}`,
      now: () => Date.now(),
    };
    const tracked = m.suggestTransaction(tr, this.editor.state as EditorState, options);
    if (tracked) next(tracked as Transaction);
  },
});
