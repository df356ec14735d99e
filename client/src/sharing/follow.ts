/**
 * Follow a collaborator: keep their caret in view as they move and type, until you
 * scroll, type or click yourself, or they leave.
 *
 * Their caret comes from awareness (`cursor: { anchor, head }`, Yjs relative positions
 * as y-tiptap publishes them) and is turned into a position in this editor with the
 * sync binding's mapping — the same computation that draws their caret.
 */
import type { Editor } from "@tiptap/core";
import { relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import { useEffect } from "react";
import * as Y from "yjs";
import type { DocSession } from "../collab/session";

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** The followed peer's caret as a position in `editor`, or null if they have none. */
export function caretPosition(editor: Editor, cursor: unknown): number | null {
  const head = (cursor as { head?: unknown } | null | undefined)?.head;
  if (!head) return null;
  const ystate = ySyncPluginKey.getState(editor.state) as
    | { doc: Y.Doc; type: Y.XmlFragment; binding: { mapping: Map<unknown, unknown> } | null }
    | undefined;
  if (!ystate?.binding) return null;
  try {
    const pos = relativePositionToAbsolutePosition(
      ystate.doc,
      ystate.type,
      Y.createRelativePositionFromJSON(head),
      ystate.binding.mapping as never,
    );
    return pos === null ? null : Math.min(pos, editor.state.doc.content.size);
  } catch {
    return null;
  }
}

/** Scrolls the window so `pos` sits in the middle band of the screen (no jump while it
 * already is, so following someone who types along a line stays calm). */
function reveal(editor: Editor, pos: number): void {
  const rect = editor.view.coordsAtPos(pos);
  const band = window.innerHeight / 4;
  if (rect.top >= band && rect.bottom <= window.innerHeight - band) return;
  window.scrollTo({ top: window.scrollY + rect.top - window.innerHeight / 2, behavior: "smooth" });
}

/** While `clientId` is set, follows that peer; calls `onStop` when following should end. */
export function useFollow(editor: Editor | null, session: DocSession, clientId: number | null, onStop: () => void): void {
  useEffect(() => {
    if (!editor || clientId === null) return;
    const awareness = session.provider.awareness;
    let frame = 0;
    const jump = () => {
      cancelAnimationFrame(frame);
      // After layout: the editor has applied the remote change by then.
      frame = requestAnimationFrame(() => {
        if (editor.isDestroyed) return;
        const pos = caretPosition(editor, awareness.getStates().get(clientId)?.cursor);
        if (pos !== null) reveal(editor, pos);
      });
    };
    const onAwareness = ({ added, updated, removed }: AwarenessChange) => {
      if (removed.includes(clientId)) onStop();
      else if (added.includes(clientId) || updated.includes(clientId)) jump();
    };
    const onUpdate = (_u: Uint8Array, origin: unknown) => {
      // Your own edit ends following; someone else's moves the caret you follow.
      if (origin === session.provider) jump();
      else onStop();
    };
    const onOwnScroll = () => onStop();
    // Keys scroll or type; shortcuts such as copy do neither.
    const onOwnKey = (e: KeyboardEvent) => {
      if (!e.metaKey && !e.ctrlKey) onStop();
    };

    awareness.on("change", onAwareness);
    session.doc.on("update", onUpdate);
    window.addEventListener("wheel", onOwnScroll, { passive: true });
    window.addEventListener("touchmove", onOwnScroll, { passive: true });
    window.addEventListener("keydown", onOwnKey);
    editor.view.dom.addEventListener("mousedown", onOwnScroll);
    jump();
    return () => {
      cancelAnimationFrame(frame);
      awareness.off("change", onAwareness);
      session.doc.off("update", onUpdate);
      window.removeEventListener("wheel", onOwnScroll);
      window.removeEventListener("touchmove", onOwnScroll);
      window.removeEventListener("keydown", onOwnKey);
      editor.view.dom.removeEventListener("mousedown", onOwnScroll);
    };
  }, [editor, session, clientId, onStop]);
}
