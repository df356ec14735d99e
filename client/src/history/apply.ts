/**
 * Applies a version's content in the user's own editor: one ProseMirror transaction
 * that y-prosemirror turns into one Yjs change (only the nodes that differ are
 * rewritten). Because it is a local change, everyone receives it live and the
 * editor's undo takes it back like any edit; capturing is cut before and after so it
 * is an undo step of its own, not merged with typing around it.
 */
import type { Editor, JSONContent } from "@tiptap/core";
import { yUndoPluginKey } from "@tiptap/y-tiptap";

interface UndoState {
  undoManager?: { stopCapturing(): void };
}

export function applyVersion(editor: Editor, content: JSONContent): void {
  const undo = (yUndoPluginKey.getState(editor.state) as UndoState | undefined)?.undoManager;
  undo?.stopCapturing();
  editor.chain().setContent(content, { emitUpdate: true }).run();
  undo?.stopCapturing();
}
