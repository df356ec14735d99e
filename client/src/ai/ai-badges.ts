/**
 * Shows where others are using AI: their awareness state carries `ai: { from, to }`
 * (Yjs relative positions), drawn here as a tinted range with "Ana is using AI here".
 * The range being rewritten for the local user is tinted too. Nothing is locked and
 * nothing of the answer is shared: this is presence, not content.
 */
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type { Awareness } from "y-protocols/awareness";
import { relativePositionSchema } from "../../../shared/ai";
import { MAX_NAME_CHARS } from "../../../shared/limits";
import { isRemoteChange, resolveRange, type RelRange } from "./positions";

export const AI_AWARENESS_FIELD = "ai";
const key = new PluginKey<DecorationSet>("quireAiBadges");
const COLOR = /^#[0-9a-f]{6}$/i;

function readRange(value: unknown): RelRange | null {
  if (!value || typeof value !== "object") return null;
  const v = value as { from?: unknown; to?: unknown };
  const from = relativePositionSchema.safeParse(v.from);
  const to = relativePositionSchema.safeParse(v.to);
  return from.success && to.success ? { from: from.data, to: to.data } : null;
}

function build(state: EditorState, awareness: Awareness): DecorationSet {
  const decorations: Decoration[] = [];
  awareness.getStates().forEach((s, clientId) => {
    const range = readRange(s[AI_AWARENESS_FIELD]);
    if (!range) return;
    const at = resolveRange(state, range);
    if (!at) return;
    const self = clientId === awareness.clientID;
    const user = (s.user ?? {}) as { name?: unknown; color?: unknown };
    const color = typeof user.color === "string" && COLOR.test(user.color) ? user.color : "#7048e8";
    const name = typeof user.name === "string" ? user.name.slice(0, MAX_NAME_CHARS) : "Someone";
    if (at.to > at.from) {
      decorations.push(
        Decoration.inline(at.from, at.to, {
          class: self ? "ai-range ai-range-own" : "ai-range",
          style: `--ai-color: ${color}`,
        }),
      );
    }
    if (self) return;
    decorations.push(
      Decoration.widget(
        at.from,
        () => {
          const badge = document.createElement("span");
          badge.className = "ai-badge";
          badge.contentEditable = "false";
          badge.style.setProperty("--ai-color", color);
          badge.textContent = `✦ ${name} is using AI here`;
          badge.setAttribute("data-testid", "ai-badge");
          return badge;
        },
        { key: `ai-badge-${clientId}-${name}-${color}`, side: -1, ignoreSelection: true },
      ),
    );
  });
  return DecorationSet.create(state.doc, decorations);
}

export const AiBadges = Extension.create<{ awareness: Awareness | null }>({
  name: "aiBadges",
  addOptions: () => ({ awareness: null }),
  addProseMirrorPlugins() {
    const awareness = this.options.awareness;
    if (!awareness) return [];
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: (_c, state) => build(state, awareness),
          apply(tr, old, _oldState, newState) {
            // Remote Yjs changes replace the document wholesale, so positions are
            // re-read from the relative positions; local edits map as usual.
            if (tr.getMeta(key) || isRemoteChange(newState)) return build(newState, awareness);
            return old.map(tr.mapping, tr.doc);
          },
        },
        props: { decorations: (state) => key.getState(state) },
        view(view) {
          const onChange = () => {
            if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, true).setMeta("addToHistory", false));
          };
          awareness.on("change", onChange);
          return { destroy: () => awareness.off("change", onChange) };
        },
      }),
    ];
  },
});
