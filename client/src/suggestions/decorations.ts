/** How suggestions on nodes show: a class on the node (also on node views: images), a
 * ¶ where a paragraph break is suggested or would go, ↵ beside a line break. */
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { readRecord, SUGGEST_BREAK, SUGGEST_FROM, SUGGEST_NODE, type SuggestionMeta } from "../../../shared/schema-suggestion";

/** A marker in the text where a block-level suggestion has no text of its own to mark. */
function marker(text: string, cls: string, label: string): HTMLElement {
  const span = document.createElement("span");
  span.className = `suggestion-marker ${cls}`;
  span.textContent = text;
  span.title = label;
  span.setAttribute("aria-label", label);
  span.contentEditable = "false";
  return span;
}

function nodeDecorations(doc: PMNode): DecorationSet {
  const out: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (node.isText) return false;
    const rec = readRecord<SuggestionMeta & { op: string }>(node.attrs[SUGGEST_NODE]);
    const brk = readRecord<SuggestionMeta & { op: string }>(node.attrs[SUGGEST_BREAK]);
    const from = node.attrs[SUGGEST_FROM] ? readRecord<SuggestionMeta>(node.attrs[SUGGEST_FROM]) : null;
    if (!rec && !brk && !from) return true;
    const who = (r: SuggestionMeta) => `${r.author || "Someone"} suggests`;
    const cls = [rec ? `suggest-node-${rec.op}` : "", from ? "suggest-from" : ""].filter(Boolean).join(" ");
    if (node.isInline) {
      if (rec)
        out.push(
          Decoration.widget(pos, () => marker("↵", cls, `${who(rec)} ${rec.op === "insert" ? "a" : "removing a"} line break`), {
            side: -1,
          }),
        );
      return false;
    }
    if (cls)
      out.push(Decoration.node(pos, pos + node.nodeSize, { class: cls, ...(from ? { title: `${who(from)} this change of type` } : {}) }));
    if (brk) {
      // At the start of the block's first text.
      let at = pos + 1;
      for (let n: PMNode | null = node; n && !n.isTextblock; n = n.firstChild) at++;
      if (at < pos + node.nodeSize) {
        const label = `${who(brk)} ${brk.op === "split" ? "a paragraph break here" : "joining this paragraph to the one before"}`;
        out.push(Decoration.widget(at, () => marker("¶", `suggest-break-${brk.op}`, label), { side: -1, key: `${brk.op}-${brk.id}` }));
      }
    }
    return true;
  });
  return DecorationSet.create(doc, out);
}

const key = new PluginKey<DecorationSet>("quire-suggest-decorations");

export function decorationsPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: (_, state) => nodeDecorations(state.doc),
      apply: (tr, old) => (tr.docChanged ? nodeDecorations(tr.doc) : old),
    },
    props: { decorations: (state) => key.getState(state) },
  });
}
