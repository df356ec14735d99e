/** The text each thread's anchor covers in the editor now, read from the live document
 * (so "detached" shows the moment the text goes, not after a reload). Read at most
 * every ANCHOR_READ_DELAY_MS of typing. Null until there is an editor. */
import type { Editor } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { useEffect, useState } from "react";
import { COMMENT_MARK } from "../../../shared/comments";

const ANCHOR_READ_DELAY_MS = 250;

export function anchorsIn(doc: PMNode): Map<string, string> {
  const parts = new Map<string, string[]>();
  let last: { id: string; parent: PMNode } | null = null;
  doc.descendants((node, _pos, parent) => {
    if (!node.isText) {
      if (!node.isInline) last = null;
      return true;
    }
    const id = node.marks.find((m) => m.type.name === COMMENT_MARK)?.attrs.threadId as string | undefined;
    if (!id || !parent) {
      last = null;
      return false;
    }
    const list = parts.get(id) ?? [];
    if (last?.id === id && last.parent === parent && list.length > 0) list[list.length - 1] += node.text ?? "";
    else list.push(node.text ?? "");
    parts.set(id, list);
    last = { id, parent };
    return false;
  });
  return new Map([...parts].map(([id, list]) => [id, list.join(" ")]));
}

export function useAnchors(editor: Editor | null): Map<string, string> | null {
  const [anchors, setAnchors] = useState<Map<string, string> | null>(() => (editor ? anchorsIn(editor.state.doc) : null));
  useEffect(() => {
    if (!editor) return;
    setAnchors(anchorsIn(editor.state.doc));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (!transaction.docChanged) return;
      clearTimeout(timer);
      timer = setTimeout(() => setAnchors(anchorsIn(editor.state.doc)), ANCHOR_READ_DELAY_MS);
    };
    editor.on("transaction", onTransaction);
    return () => {
      clearTimeout(timer);
      editor.off("transaction", onTransaction);
    };
  }, [editor]);
  return anchors;
}
