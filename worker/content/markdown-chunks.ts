/**
 * Splits Markdown into pieces that, parsed one by one and joined with `joinPieces`,
 * give the same blocks as the whole does at once. Why: Tiptap's parser is superlinear
 * in the blocks of what it parses, and the import pauses between pieces so other
 * documents' messages get through (MARKDOWN_PIECE_CHARS).
 *
 * A piece may start only where nothing before it can continue into it:
 * - after a blank line, outside a code fence or HTML block, on a line that starts in
 *   column 0 and is not a list item, quote, table row or reference definition;
 * - after a heading or thematic break in column 0 (single-line blocks, already closed);
 * - at a top-level list item of the same list (`seam: "list"`: the two lists are
 *   joined again), at a table row starting with `|` (the header is repeated in the new
 *   piece and dropped when joining, `seam: "table"`), or at a quote line after an empty
 *   quote line (`seam: "quote"`).
 * Link reference definitions (`[x]: https://…`) can be used anywhere, so each piece gets
 * the ones it refers to.
 */
import { MARKDOWN_PIECE_CHARS, MARKDOWN_PIECE_MAX_LINES } from "../../shared/limits";

export type Seam = "none" | "list" | "table" | "quote";

export interface Piece {
  text: string;
  /** How this piece continues the one before it. */
  seam: Seam;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CONTINUES = /^(\s|[-*+](\s|$)|\d{1,9}[.)](\s|$)|>|\|)/;
const REFERENCE = /^ {0,3}\[([^\]]+)\]:\s*\S/;
const LIST_ITEM = /^(?:([-*+])|\d{1,9}([.)]))[ \t]/;
const CLOSED_LINE = /^(?:#{1,6}(?:[ \t]|$)|([-*_])(?:[ \t]*\1){2,}[ \t]*$)/;
const TABLE_DELIMITER = /^[ \t|:]*-[ \t|:-]*$/;
const BLOCK_START = /^(?:[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|>|`{3}|~{3})|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))/;
const QUOTE_BLANK = /^>[ \t]*$/;
const QUOTE_PLAIN = /^> ?(?![ \t]|>|[-*+][ \t]|\d{1,9}[.)][ \t])\S/;

const labelKey = (label: string) => label.trim().replace(/\s+/g, " ").toLowerCase();

/** Pieces in order; a generator, so a caller that pauses between pieces also spreads
 * the splitting over its turns. */
export function* splitMarkdown(markdown: string, pieceChars = MARKDOWN_PIECE_CHARS): Generator<Piece> {
  if (markdown.length <= pieceChars) {
    yield { text: markdown, seam: "none" };
    return;
  }
  const lines = markdown.split("\n");
  const definitions = new Map<string, string>(); // label → its definition line
  for (const line of lines) {
    const label = REFERENCE.exec(line)?.[1];
    if (label !== undefined && !definitions.has(labelKey(label))) definitions.set(labelKey(label), line);
  }

  let current: string[] = [];
  let seam: Seam = "none";
  let size = 0;
  let fence: string | null = null;
  let html = false;
  let prev = "";
  let prevBlank = true;
  let topList: string | null = null;
  let table: string[] | null = null;

  for (const line of lines) {
    const blank = line.trim() === "";
    let cut: Seam | null = null;
    if (fence === null && !html && !blank && !REFERENCE.test(line)) {
      const item = LIST_ITEM.exec(line);
      const kind = item ? (item[1] ?? item[2]!) : null;
      if (!CONTINUES.test(line) && (prevBlank || CLOSED_LINE.test(prev))) cut = "none";
      else if (kind !== null && kind === topList) cut = "list";
      else if (table && line.startsWith("|")) cut = "table";
      else if (QUOTE_BLANK.test(prev) && QUOTE_PLAIN.test(line)) cut = "quote";
    }
    if (cut !== null && (size >= pieceChars || current.length >= MARKDOWN_PIECE_MAX_LINES)) {
      yield withDefinitions(current, seam, definitions);
      current = cut === "table" ? [...table!] : [];
      seam = cut;
      size = 0;
    }
    current.push(line);
    size += line.length + 1;

    // What the next line may continue.
    const f = FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (f && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = null;
    } else if (f) {
      fence = f;
    }
    if (fence === null) {
      if (blank) html = false;
      else if (prevBlank && /^ {0,3}</.test(line)) html = true;
      const item = LIST_ITEM.exec(line);
      if (item) topList = item[1] ?? item[2]!;
      else if (!blank && /^\S/.test(line) && (prevBlank || BLOCK_START.test(line) || CLOSED_LINE.test(line))) topList = null;
      if (blank || (table && BLOCK_START.test(line))) table = null;
      else if (!table && line.includes("|") && TABLE_DELIMITER.test(line) && prev.includes("|")) table = [prev, line];
    }
    prev = line;
    prevBlank = blank;
  }
  if (current.length > 0) yield withDefinitions(current, seam, definitions);
}

/** A piece's text, followed by the reference definitions it uses from elsewhere. */
function withDefinitions(own: string[], seam: Seam, definitions: Map<string, string>): Piece {
  const text = own.join("\n");
  if (definitions.size === 0) return { text, seam };
  const have = new Set(
    own
      .map((l) => REFERENCE.exec(l)?.[1])
      .filter((l): l is string => l !== undefined)
      .map(labelKey),
  );
  const needed = new Set<string>();
  for (const label of bracketed(text)) {
    const key = labelKey(label);
    if (definitions.has(key) && !have.has(key)) needed.add(key);
  }
  if (needed.size === 0) return { text, seam };
  // A definition repeated on its own, without a blank line, would join a paragraph.
  return { text: `${text}\n\n${[...needed].map((k) => definitions.get(k)!).join("\n")}\n`, seam };
}

/** Text between brackets on one line (candidate reference labels), in one linear pass. */
function* bracketed(text: string): Generator<string> {
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "[") open = i;
    else if (c === "\n") open = -1;
    else if (c === "]" && open >= 0) {
      if (i - open <= 1000) yield text.slice(open + 1, i);
      open = -1;
    }
  }
}

type Json = { type?: unknown; content?: unknown; attrs?: unknown };
const isNode = (v: unknown): v is Json & { content: unknown[] } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Array.isArray((v as Json).content);
const LISTS = new Set(["bulletList", "orderedList", "taskList"]);

/** Whether a piece's first block continues the previous piece's last block, both of
 * type `type`, across `seam`. */
export function joinsAcross(seam: Seam, type: string): boolean {
  return (seam === "list" && LISTS.has(type)) || (seam === "quote" && type === "blockquote") || (seam === "table" && type === "table");
}

/** Children of the continuing block to skip: a table piece repeats the header row. */
export const skippedAcross = (seam: Seam): number => (seam === "table" ? 1 : 0);

/** Joins parsed pieces (the top-level blocks of each, as JSON) into one block list; the
 * left block keeps its attributes (an ordered list its start). */
export function joinPieces(parsed: { blocks: unknown[]; seam: Seam }[]): unknown[] {
  const out: unknown[] = [];
  for (const { blocks, seam } of parsed) {
    const last = out[out.length - 1];
    const first = blocks[0];
    if (isNode(last) && isNode(first) && last.type === first.type && joinsAcross(seam, String(first.type))) {
      out[out.length - 1] = { ...last, content: [...last.content, ...first.content.slice(skippedAcross(seam))] };
      out.push(...blocks.slice(1));
    } else {
      out.push(...blocks);
    }
  }
  return out;
}
