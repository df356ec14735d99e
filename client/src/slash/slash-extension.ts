/** "/" opens a menu of block types (Tiptap's Suggestion plugin finds the trigger and the
 * query). The menu itself is React (SlashMenu.tsx); this store carries what it shows.
 * Nothing is written until an item is chosen, which replaces the "/query" text. */
import { Extension, type Range } from "@tiptap/core";
import { PluginKey } from "@tiptap/pm/state";
import Suggestion from "@tiptap/suggestion";
import { filterItems, type SlashItem } from "./slash-items";

export interface SlashView {
  items: SlashItem[];
  selected: number;
  range: Range;
  rect: DOMRect | null;
}

export class SlashStore {
  view: SlashView | null = null;
  private listeners = new Set<() => void>();
  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  snapshot = () => this.view;
  set(view: SlashView | null) {
    this.view = view;
    for (const fn of this.listeners) fn();
  }
}

export const SlashCommand = Extension.create<{ store: SlashStore }>({
  name: "slashCommand",
  addOptions() {
    return { store: new SlashStore() };
  },
  addProseMirrorPlugins() {
    const store = this.options.store;
    const editor = this.editor;
    return [
      Suggestion<SlashItem, SlashItem>({
        editor,
        pluginKey: new PluginKey("slashCommand"),
        char: "/",
        items: ({ query }) => filterItems(query),
        command: ({ editor: e, range, props }) => props.run(e, range),
        // Not inside code, where "/" is just a character.
        allow: ({ state, range }) => !state.doc.resolve(range.from).parent.type.spec.code,
        render: () => ({
          onStart: (p) => store.set({ items: p.items, selected: 0, range: p.range, rect: p.clientRect?.() ?? null }),
          onUpdate: (p) => store.set({ items: p.items, selected: 0, range: p.range, rect: p.clientRect?.() ?? null }),
          onExit: () => store.set(null),
          onKeyDown: ({ event }) => {
            const v = store.view;
            if (!v) return false;
            if (event.key === "Escape") {
              store.set(null);
              return true;
            }
            if (v.items.length === 0) return false;
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              const step = event.key === "ArrowDown" ? 1 : -1;
              store.set({ ...v, selected: (v.selected + step + v.items.length) % v.items.length });
              return true;
            }
            if (event.key === "Enter" || event.key === "Tab") {
              v.items[v.selected]?.run(editor, v.range);
              return true;
            }
            return false;
          },
        }),
      }),
    ];
  },
});
