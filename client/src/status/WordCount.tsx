import type { Editor } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { INSERTION_MARK, type NodeRecord, readRecord, SUGGEST_NODE } from "../../../shared/schema-suggestion";
import { useDocValue } from "../editor/useDocValue";
import { type Counts, countText } from "./count";

/** How long typing may go on before the count catches up: counting a long document on
 * every keystroke would cost more than the number is worth. */
const RECOUNT_DELAY_MS = 300;

/** The document as accepted: text (and whole blocks, a table) someone only suggested
 * inserting is not counted yet (suggested deletions still are, as exports and AI input
 * read it). */
export function acceptedText(doc: PMNode): string {
  const parts: string[] = [];
  doc.descendants((node) => {
    if (readRecord<NodeRecord>(node.attrs[SUGGEST_NODE])?.op === "insert") return false;
    if (node.isText) {
      if (!node.marks.some((m) => m.type.name === INSERTION_MARK)) parts.push(node.text ?? "");
      return false;
    }
    if (node.isBlock && parts.length > 0) parts.push("\n");
    return true;
  });
  return parts.join("");
}

const readCounts = (doc: PMNode): Counts => countText(acceptedText(doc));

/** "1,234 words · 7,890 characters", live for everyone (local and remote edits). */
export function WordCount({ editor }: { editor: Editor }) {
  const counts = useDocValue(editor, readCounts, RECOUNT_DELAY_MS);
  const n = (x: number) => x.toLocaleString();
  return (
    <span className="word-count" data-testid="word-count">
      {n(counts.words)} {counts.words === 1 ? "word" : "words"} · {n(counts.characters)}{" "}
      {counts.characters === 1 ? "character" : "characters"}
    </span>
  );
}
