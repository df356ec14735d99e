/** The suggestions in a document, one per id (one thing a person did: typing over a
 * word, inserting a table, making a heading), with words for the panel. */
import type { Mark, Node as PMNode } from "@tiptap/pm/model";
import { COMMENT_MARK } from "../../../shared/comments";
import {
  DELETION_MARK,
  FORMATTING_MARK,
  type FromRecord,
  INSERTION_MARK,
  type MarkJSON,
  readMarks,
  readRecord,
  SUGGEST_BREAK,
  SUGGEST_FROM,
  SUGGEST_NODE,
  type SuggestionMeta,
  SUGGESTION_MARKS,
} from "../../../shared/schema-suggestion";

export interface Suggestion {
  id: string;
  /** What it mostly is (the panel's colour): text added, removed, both, formatting, or structure. */
  kind: "insertion" | "deletion" | "replacement" | "formatting" | "structure";
  author: string;
  at: number;
  command: string | null;
  model: string | null;
  /** Text it adds and text it removes (all of it, in document order). */
  inserted: string;
  deleted: string;
  /** Text whose formatting it changes, and how ("bold", "not italic"). */
  formatted: string;
  formats: string[];
  /** Changes to blocks, in words ("inserting a table", "heading 2 instead of paragraph"). */
  blocks: string[];
  /** The whole of it in one line, for screen readers and the list item's name. */
  label: string;
}

const NAMES: Record<string, string> = {
  paragraph: "a paragraph",
  heading: "a heading",
  blockquote: "a quote",
  codeBlock: "a code block",
  bulletList: "a bulleted list",
  orderedList: "a numbered list",
  taskList: "a task list",
  listItem: "a list item",
  taskItem: "a task",
  horizontalRule: "a divider",
  hardBreak: "a line break",
  image: "an image",
  table: "a table",
  tableRow: "a table row",
  tableCell: "a table cell",
  tableHeader: "a header cell",
};

const nodeName = (type: string) => NAMES[type] ?? `a ${type}`;

function typeWords(type: string, attrs: Record<string, unknown>): string {
  if (type === "heading") return `heading ${String(attrs.level)}`;
  if (type === "taskItem") return attrs.checked ? "a checked task" : "an unchecked task";
  return nodeName(type).replace(/^an? /, "");
}

const REVIEW = new Set([...SUGGESTION_MARKS, COMMENT_MARK]);
const markKey = (m: MarkJSON) => JSON.stringify(m);

function formatWords(before: MarkJSON[], now: readonly Mark[]): string[] {
  const after = now.filter((m) => !REVIEW.has(m.type.name)).map((m) => m.toJSON() as MarkJSON);
  const had = new Set(before.map(markKey));
  const has = new Set(after.map(markKey));
  return [
    ...after.filter((m) => !had.has(markKey(m))).map((m) => m.type),
    ...before.filter((m) => !has.has(markKey(m))).map((m) => `not ${m.type}`),
  ];
}

function newSuggestion(r: SuggestionMeta): Suggestion {
  return {
    id: String(r.id),
    kind: "structure",
    author: String(r.author ?? ""),
    at: Number(r.at ?? 0),
    command: r.command ?? null,
    model: r.model ?? null,
    inserted: "",
    deleted: "",
    formatted: "",
    formats: [],
    blocks: [],
    label: "",
  };
}

const quote = (s: string) => `“${s}”`;
const EMPTY_PARAGRAPH = "inserting a paragraph";

function finish(s: Suggestion): Suggestion {
  const parts: string[] = [];
  if (s.inserted && s.deleted) parts.push(`Replace ${quote(s.deleted)} with ${quote(s.inserted)}`);
  else if (s.inserted) parts.push(`Insert ${quote(s.inserted)}`);
  else if (s.deleted) parts.push(`Delete ${quote(s.deleted)}`);
  if (s.formats.length > 0) parts.push(`Format ${quote(s.formatted)}: ${s.formats.join(", ")}`);
  // The empty paragraph Tiptap keeps last (track.ts adds it with a table or heading at
  // the end) is not worth a line of its own beside what it comes with.
  if (parts.length > 1 || s.blocks.length > 1) s.blocks = s.blocks.filter((b) => b !== EMPTY_PARAGRAPH);
  parts.push(...s.blocks.map((b) => b.charAt(0).toUpperCase() + b.slice(1)));
  s.label = parts.join("; ");
  s.kind =
    s.blocks.length > 0
      ? "structure"
      : s.inserted && s.deleted
        ? "replacement"
        : s.inserted
          ? "insertion"
          : s.deleted
            ? "deletion"
            : "formatting";
  return s;
}

export function suggestions(doc: PMNode): Suggestion[] {
  const byId = new Map<string, Suggestion>();
  const get = (r: SuggestionMeta) => {
    const id = String(r.id);
    const s = byId.get(id) ?? newSuggestion(r);
    byId.set(id, s);
    return s;
  };
  doc.descendants((node) => {
    if (node.isText) {
      for (const mark of node.marks) {
        const name = mark.type.name;
        if (name === INSERTION_MARK) get(mark.attrs as SuggestionMeta).inserted += node.text ?? "";
        else if (name === DELETION_MARK) get(mark.attrs as SuggestionMeta).deleted += node.text ?? "";
        else if (name === FORMATTING_MARK) {
          const s = get(mark.attrs as SuggestionMeta);
          s.formatted += node.text ?? "";
          for (const f of formatWords(readMarks(mark.attrs.before), node.marks)) if (!s.formats.includes(f)) s.formats.push(f);
        }
      }
      return false;
    }
    const rec = readRecord<SuggestionMeta & { op: string }>(node.attrs[SUGGEST_NODE]);
    // A paragraph with text reads as its text, marked (track.ts marks it); other nodes by name.
    const first = node.firstChild;
    const marked =
      first?.isText && first.marks.some((m) => m.attrs.id === rec?.id && (m.type.name === INSERTION_MARK || m.type.name === DELETION_MARK));
    if (rec && !(node.type.name === "paragraph" && marked))
      get(rec).blocks.push(`${rec.op === "insert" ? "inserting" : "deleting"} ${nodeName(node.type.name)}`);
    const br = readRecord<SuggestionMeta & { op: string }>(node.attrs[SUGGEST_BREAK]);
    if (br) get(br).blocks.push(br.op === "split" ? "a paragraph break" : "joining two paragraphs");
    const from = readRecord<FromRecord>(node.attrs[SUGGEST_FROM]);
    if (from) get(from).blocks.push(`${typeWords(node.type.name, node.attrs)} instead of ${typeWords(from.type, from.attrs ?? {})}`);
    return true;
  });
  return [...byId.values()].map(finish);
}
