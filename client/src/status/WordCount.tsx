import type { Editor } from "@tiptap/core";
import { useEffect, useState } from "react";
import { type Counts, countText } from "./count";

/** How long typing may go on before the count catches up: counting a long document on
 * every keystroke would cost more than the number is worth. */
const RECOUNT_DELAY_MS = 300;

const read = (editor: Editor): Counts => countText(editor.state.doc.textBetween(0, editor.state.doc.content.size, "\n", "\n"));

/** "1,234 words · 7,890 characters", live for everyone (local and remote edits). */
export function WordCount({ editor }: { editor: Editor }) {
  const [counts, setCounts] = useState(() => read(editor));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setCounts(read(editor)), RECOUNT_DELAY_MS);
    };
    // Every document change, including the first load from the server or this device's
    // copy (which Tiptap does not report as an "update").
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) schedule();
    };
    editor.on("transaction", onTransaction);
    return () => {
      clearTimeout(timer);
      editor.off("transaction", onTransaction);
    };
  }, [editor]);
  const n = (x: number) => x.toLocaleString();
  return (
    <span className="word-count" data-testid="word-count">
      {n(counts.words)} {counts.words === 1 ? "word" : "words"} · {n(counts.characters)}{" "}
      {counts.characters === 1 ? "character" : "characters"}
    </span>
  );
}
