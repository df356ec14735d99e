/** The Authors view's plugin: holds the decorations, maps them through edits, and
 * takes new ones from the view (a meta on a transaction). */
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { DecorationSet } from "@tiptap/pm/view";

export const authorsKey = new PluginKey<DecorationSet>("quire-authors");

export function authorsPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: authorsKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, set) {
        const next = tr.getMeta(authorsKey) as DecorationSet | undefined;
        return next ?? set.map(tr.mapping, tr.doc);
      },
    },
    props: {
      decorations: (state) => authorsKey.getState(state),
    },
  });
}
