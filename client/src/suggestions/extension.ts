/**
 * The per-user "Suggesting" switch as a Tiptap extension: while on, each transaction
 * this editor makes is replaced, before it is applied, by the same change as a
 * suggestion (transform.ts). Remote changes and undo/redo (both come through Yjs) and
 * accept/reject pass untouched.
 *
 * The machinery (transform, accept/reject, the list, how suggestions on nodes show) is
 * a separate chunk, fetched when an editor is idle after it shows, or when a viewer's
 * document first holds a suggestion; the switch turns on only once it is there, so no
 * keystroke made while Suggesting is ever applied directly. Every editor has this
 * extension, viewers too.
 */
import { type Editor, Extension } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { type EditorState, Plugin, PluginKey, type Transaction } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { SUGGEST_BREAK, SUGGEST_FROM, SUGGEST_NODE, SUGGESTION_MARKS } from "../../../shared/schema-suggestion";
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
  /** Set when the editor is made (the storage is made before it). */
  editor: Editor | null;
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

/** Whether the document holds any suggestion (stops at the first). */
export function hasSuggestions(doc: PMNode): boolean {
  let found = false;
  doc.descendants((node) => {
    if (found) return false;
    if (node.isText) found = node.marks.some((m) => SUGGESTION_MARKS.includes(m.type.name));
    else found = Boolean(node.attrs[SUGGEST_NODE] || node.attrs[SUGGEST_BREAK] || node.attrs[SUGGEST_FROM]);
    return !found;
  });
  return found;
}

export const Suggestions = Extension.create<SuggestionsOptions, SuggestionsStorage>({
  name: "suggestions",
  addOptions() {
    return { clientId: () => 0, author: () => "" };
  },
  addStorage() {
    return {
      editor: null,
      on: false,
      counter: 0,
      machinery: null,
      load() {
        return loadMachinery().then((m) => {
          const e = this.editor;
          if (!this.machinery && e && !e.isDestroyed) {
            this.machinery = m;
            // Shows suggestions on nodes, and tells the panel (a transaction) it can list them.
            e.registerPlugin(m.decorationsPlugin());
            e.view.dispatch(e.state.tr.setMeta("addToHistory", false));
          }
          return m;
        });
      },
    };
  },
  addProseMirrorPlugins() {
    const storage = this.storage;
    return [
      new Plugin({
        key: new PluginKey("quire-suggest-loader"),
        // A viewer fetches the machinery once the document holds a suggestion to show.
        view: () => ({
          update: (view) => {
            if (!storage.machinery && hasSuggestions(view.state.doc)) void storage.load().catch(() => {});
          },
        }),
      }),
    ];
  },
  onBeforeCreate() {
    this.storage.editor = this.editor;
  },
  onCreate() {
    if (!this.editor.isEditable) return;
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
