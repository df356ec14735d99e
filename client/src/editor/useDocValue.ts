import type { Editor } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { useEffect, useRef, useState } from "react";

/** A value read from the document (a count, the headings), kept current after every
 * change, including the first load from the server or this device's copy (which
 * Tiptap does not report as an "update"). Read at most once per `delayMs` of typing:
 * reading a long document on every keystroke would cost more than the value is worth. */
export function useDocValue<T>(editor: Editor, read: (doc: PMNode) => T, delayMs: number): T {
  const reader = useRef(read);
  reader.current = read;
  const [value, setValue] = useState(() => read(editor.state.doc));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (!transaction.docChanged) return;
      clearTimeout(timer);
      timer = setTimeout(() => setValue(reader.current(editor.state.doc)), delayMs);
    };
    editor.on("transaction", onTransaction);
    return () => {
      clearTimeout(timer);
      editor.off("transaction", onTransaction);
    };
  }, [editor, delayMs]);
  return value;
}
