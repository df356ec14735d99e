/**
 * A client that cannot render what it received never writes.
 *
 * y-prosemirror (@tiptap/y-tiptap) turns each Y element into a ProseMirror node; when
 * that throws (an unknown node or mark name, an attribute its schema refuses, an
 * embedded object in text), its `createNodeFromYElement` deletes the element from the
 * Y.Doc and that delete is sent to everyone: one unrenderable node from a newer client
 * or a hostile peer would make every browser erase it, and the server would store the
 * erasure. Tiptap's `enableContentCheck` relies on an `onInvalidContent` hook that
 * y-tiptap 3.0.9's ySyncPlugin never calls, so it does not prevent this.
 *
 * This guard sits in front of the binding. Its plugin view runs before the sync
 * plugin's (higher priority), while the binding exists but has not yet rendered or
 * subscribed; it replaces the binding's observer and first render with checked
 * versions. A check covers only what changed: the texts and elements an event names,
 * and subtrees that were added. If anything cannot be rendered, the guard pauses for
 * good: the binding neither applies nor writes again (the Y.Doc, its IndexedDB copy
 * and the provider keep everything they receive, untouched), the editor turns
 * read-only, and `onPause` tells the page.
 */
import { Extension } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import type { AnyYType } from "../../../shared/yjs-types";

export const RENDER_PAUSED_MESSAGE = "This document has content this version can't show. Editing is paused; nothing was lost.";

/** y-prosemirror's name for overlapping marks: `name--<8 characters of hash>`. */
const markName = (key: string) => /(.*)(--[a-zA-Z0-9+/=]{8})$/.exec(key)?.[1] ?? key;

/** Why y-prosemirror could not turn this text into ProseMirror text nodes, or null. */
function textProblem(text: Y.XmlText, schema: Schema): string | null {
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== "string" || op.insert === "") return "text holding an embedded object";
    for (const [key, attrs] of Object.entries(op.attributes ?? {})) {
      try {
        schema.mark(markName(key), attrs as Record<string, unknown>);
      } catch {
        return `a mark the editor does not know (${markName(key).slice(0, 40)})`;
      }
    }
  }
  return null;
}

/** Why this element itself (name, attributes; not its children) cannot be rendered. */
function elementProblem(el: Y.XmlElement, schema: Schema): string | null {
  const type = schema.nodes[el.nodeName];
  if (!type || type === schema.topNodeType || type.isText) return `a node the editor does not know (${el.nodeName.slice(0, 40)})`;
  try {
    type.create(el.getAttributes());
  } catch {
    return `a ${el.nodeName} with attributes the editor refuses`;
  }
  return null;
}

/** Checks a piece of content (an element or a text) and everything below it, without
 * recursion. */
export function problemInTree(content: unknown, schema: Schema): string | null {
  const stack: unknown[] = [content];
  while (stack.length > 0) {
    const t = stack.pop();
    if (t instanceof Y.XmlText) {
      const p = textProblem(t, schema);
      if (p) return p;
    } else if (t instanceof Y.XmlElement) {
      const p = elementProblem(t, schema);
      if (p) return p;
      for (const child of t.toArray()) stack.push(child);
    } else {
      // A hook, a nested fragment, a map…: y-prosemirror throws on these.
      return "a kind of content the editor does not use";
    }
  }
  return null;
}

/** Checks a whole document fragment (before the first render). */
export function problemInFragment(fragment: Y.XmlFragment, schema: Schema): string | null {
  for (const child of fragment.toArray()) {
    const p = problemInTree(child, schema);
    if (p) return p;
  }
  return null;
}

/** Checks what a batch of Yjs events (from `observeDeep` on the document's fragment)
 * changed: each changed text, each changed element's own name and attributes, and
 * every subtree that was added. Work is proportional to the change, not the document. */
export function problemInEvents(events: Y.YEvent<AnyYType>[], schema: Schema): string | null {
  for (const event of events) {
    const target = event.target;
    if (target instanceof Y.XmlText) {
      const p = textProblem(target, schema);
      if (p) return p;
      continue;
    }
    if (target instanceof Y.XmlElement) {
      const p = elementProblem(target, schema);
      if (p) return p;
    }
    for (const item of event.changes.added) {
      if (item.deleted) continue;
      if (!(item.content instanceof Y.ContentType)) return "content inside a container the editor does not use";
      const p = problemInTree(item.content.type, schema);
      if (p) return p;
    }
  }
  return null;
}

/** The parts of y-prosemirror's binding the guard wraps (private API of y-tiptap 3.0.x). */
interface Binding {
  type: Y.XmlFragment;
  _observeFunction: (events: Y.YEvent<AnyYType>[], tr: Y.Transaction) => void;
  _forceRerender: () => void;
  _prosemirrorChanged: (doc: unknown) => void;
}

export interface RenderGuardOptions {
  /** Called once, when editing is paused; `why` is for logs, not for people. */
  onPause: (why: string) => void;
}

const key = new PluginKey("renderGuard");

export const RenderGuard = Extension.create<RenderGuardOptions>({
  name: "renderGuard",
  // Above Collaboration (1000): this plugin's view must run before the sync plugin's.
  priority: 1001,

  addOptions() {
    return { onPause: () => {} };
  },

  addProseMirrorPlugins() {
    const { onPause } = this.options;
    let paused = false;
    return [
      new Plugin({
        key,
        props: { editable: () => !paused },
        view: (view) => {
          const binding = (ySyncPluginKey.getState(view.state) as { binding?: Binding } | undefined)?.binding;
          if (!binding) return {};
          const schema = view.state.schema;
          const pause = (why: string) => {
            if (paused) return;
            paused = true;
            binding._prosemirrorChanged = () => {};
            onPause(why);
            // Re-read the `editable` prop (not during this view's construction).
            queueMicrotask(() => {
              if (!view.isDestroyed) view.setProps({});
            });
          };
          const observe = binding._observeFunction;
          binding._observeFunction = (events, tr) => {
            if (paused) return;
            // The binding's own writes come from a valid ProseMirror document.
            if (tr.origin !== ySyncPluginKey) {
              const why = problemInEvents(events, schema);
              if (why) return pause(why);
            }
            observe(events, tr);
          };
          const rerender = binding._forceRerender.bind(binding);
          binding._forceRerender = () => {
            if (paused) return;
            const why = problemInFragment(binding.type, schema);
            if (why) return pause(why);
            rerender();
          };
          return {};
        },
      }),
    ];
  },
});
