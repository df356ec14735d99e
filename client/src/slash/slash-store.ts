import type { Range } from "@tiptap/core";
import type { SlashItem } from "./slash-items";

/** The Suggestion plugin's key name, for unregistering it without loading its module. */
export const SLASH_PLUGIN_NAME = "slashCommand";

export interface SlashView {
  items: SlashItem[];
  selected: number;
  range: Range;
  rect: DOMRect | null;
}

/** What the "/" menu shows, handed from the Suggestion plugin to the React menu. */
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
