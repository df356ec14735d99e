/**
 * Named carets of the other people in the document. Tiptap's CollaborationCaret is not
 * published for the Tiptap version Quire uses (the registry stops at 3.31.3, which pins
 * core/pm to that exact version), so this is the same small wrapper over y-tiptap's
 * `yCursorPlugin`, with the same DOM and class names (`collaboration-carets__*`, styled
 * in styles.css and looked for by the browser tests) and the same `updateUser` command.
 */
import { Extension } from "@tiptap/core";
import { defaultSelectionBuilder, yCursorPlugin } from "@tiptap/y-tiptap";
import type { Awareness } from "y-protocols/awareness";

export interface CaretUser {
  name: string;
  color: string;
}

interface CaretOptions {
  awareness: Awareness | null;
  user: CaretUser;
}

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    collaborationCaret: {
      /** Publishes this user's name and colour to everyone's carets. */
      updateUser: (user: CaretUser) => ReturnType;
    };
  }
}

/** Colours come from other people's presence: only a plain hex colour reaches a style. */
const isValidColor = (color: unknown): color is string => typeof color === "string" && /^#[0-9a-fA-F]{6}$/.test(color);

/** A peer's presence is untrusted: show a string name and a safe colour, whatever was sent. */
function sanitizeUser(user: Record<string, unknown>): CaretUser {
  return {
    name: typeof user.name === "string" ? user.name : "",
    color: isValidColor(user.color) ? user.color : "transparent",
  };
}

export function renderCaret(raw: Record<string, unknown>): HTMLElement {
  const user = sanitizeUser(raw);
  const caret = document.createElement("span");
  caret.classList.add("collaboration-carets__caret");
  caret.style.borderColor = user.color;
  const label = document.createElement("div");
  label.classList.add("collaboration-carets__label");
  label.style.backgroundColor = user.color;
  label.textContent = user.name;
  caret.append(label);
  return caret;
}

export const CollaborationCaret = Extension.create<CaretOptions>({
  name: "collaborationCaret",
  // Same as Tiptap's: the caret decorations are drawn after the content plugins.
  priority: 999,

  addOptions() {
    return { awareness: null, user: { name: "", color: "" } };
  },

  addCommands() {
    return {
      updateUser: (user) => () => {
        this.options.awareness?.setLocalStateField("user", user);
        return true;
      },
    };
  },

  addProseMirrorPlugins() {
    const { awareness, user } = this.options;
    if (!awareness) throw new Error("CollaborationCaret needs the provider's awareness");
    awareness.setLocalStateField("user", user);
    return [
      yCursorPlugin(awareness, {
        cursorBuilder: (u: Record<string, unknown>) => renderCaret(u),
        selectionBuilder: (u: Record<string, unknown>) => {
          const safe = sanitizeUser(u);
          return isValidColor(u.color) ? defaultSelectionBuilder(safe) : {};
        },
      }),
    ];
  },
});
