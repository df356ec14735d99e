/** "/" opens a menu of block types (Tiptap's Suggestion plugin finds the trigger and the
 * query). The menu itself is React (SlashMenu.tsx); the store carries what it shows.
 * Nothing is written until an item is chosen, which replaces the "/query" text. This
 * module (with Suggestion and Floating UI) is loaded after the editor shows and its
 * plugin registered then (see Editor.tsx): it is not needed to start typing. */
import type { Editor } from "@tiptap/core";
import { type Plugin, PluginKey } from "@tiptap/pm/state";
import Suggestion from "@tiptap/suggestion";
import { filterItems, type SlashItem } from "./slash-items";
import { SLASH_PLUGIN_NAME, type SlashStore } from "./slash-store";

export function slashPlugin(editor: Editor, store: SlashStore): Plugin {
  return Suggestion<SlashItem, SlashItem>({
    editor,
    // A fresh key per editor: a key can be registered only once per state.
    pluginKey: new PluginKey(SLASH_PLUGIN_NAME),
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
  });
}
