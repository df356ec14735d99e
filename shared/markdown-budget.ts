/**
 * Parsing Markdown under a budget, so a hostile import cannot hold the isolate for
 * seconds (marked and Tiptap are superlinear on some inputs; see the MARKDOWN_* limits).
 * Nothing is dropped: text past a cap is kept as plain text in its place.
 *
 * Two mechanisms:
 * - `holdBack` (before parsing, linear): the part of a line past MARKDOWN_MAX_LINE_CHARS
 *   or past MARKDOWN_MAX_LINE_PREFIX_CHARS of nesting, and the lines of a list item past
 *   MARKDOWN_MAX_LIST_ITEM_LINES, are replaced by a placeholder the parser reads as one
 *   plain word; `restore` puts the original text back into the parsed content.
 * - `BudgetLexer` (during parsing): each inline run is charged its estimated work; past
 *   MARKDOWN_INLINE_BUDGET_CHAR_PAIRS per piece, the rest of the run is handed to the
 *   parser as literal text.
 */
import { Marked, type Token } from "marked";
import {
  MARKDOWN_INLINE_BUDGET_CHAR_PAIRS,
  MARKDOWN_MAX_LINE_CHARS,
  MARKDOWN_MAX_LINE_PREFIX_CHARS,
  MARKDOWN_MAX_LIST_ITEM_LINES,
} from "./limits";

// ---------------------------------------------------------------- holding text back

export interface HeldBack {
  /** The Markdown to parse, with placeholders where text was held back. */
  source: string;
  /** Puts held text back into a parsed string (a text node or attribute). */
  restore(s: string): string;
  /** Held text whose placeholder did not come back through the parser (say, inside a
   * construct that drops its text): the caller appends it, so it is still not lost. */
  unrestored(): string[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLANK = /^[ \t]*$/;
const PREFIX_START = /^[ \t>*+\-0-9]/;
/** Indentation, block quote markers and list markers at the start of a line. */
const PREFIX = /^(?:[ \t]|>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))*/;
const LIST_ITEM = /^[ \t>]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
/** A line at column 0 that ends a list item even without a blank line before it. */
const ENDS_ITEM = /^(?:`{3}|~{3}|#{1,6}(?:[ \t]|$)|>|<|(?:([-*_])[ \t]*)(?:\1[ \t]*){2,}$)/;

/** A private-use character that does not occur in the input, so placeholders built
 * from it cannot be confused with anything the author wrote. */
function freeSentinel(markdown: string): string {
  const used = new Set<number>();
  for (const ch of markdown) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) used.add(cp);
  }
  for (let cp = 0xe000; cp <= 0xf8ff; cp++) if (!used.has(cp)) return String.fromCodePoint(cp);
  for (let cp = 0xf0000; cp <= 0xffffd; cp++) if (!used.has(cp)) return String.fromCodePoint(cp);
  // 128 KiB of Markdown cannot hold all 71,934 private-use characters.
  throw new Error("no free placeholder character");
}

/** Where to cut a string near `at` without splitting a surrogate pair. */
function cutIndex(s: string, at: number): number {
  const code = s.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

export function holdBack(markdown: string): HeldBack {
  const input = markdown.replace(/\r\n?/g, "\n");
  const held: string[] = [];
  let sentinel = "";
  const hold = (text: string): string => {
    sentinel ||= freeSentinel(input);
    held.push(text);
    return `${sentinel}${held.length - 1}${sentinel}`;
  };

  const out: string[] = [];
  let fence: string | null = null;
  let itemLines = -1; // lines of the current list item so far, -1 outside one
  let folded: string[] | null = null; // lines of an over-long item, held back
  let prevBlank = true;
  const endFold = () => {
    if (folded && folded.length > 0 && out.length > 0) out[out.length - 1] += hold(`\n${folded.join("\n")}`);
    folded = null;
  };

  for (const raw of input.split("\n")) {
    let line = raw;
    if (fence !== null) {
      // Code is read as it is: no syntax inside, so no superlinear work either.
      if (folded) folded.push(line);
      else out.push(line);
      const f = FENCE.exec(line)?.[1];
      if (f && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = null;
      prevBlank = false;
      continue;
    }
    const blank = BLANK.test(line);
    // Only lines starting with a space, a tab, `>`, a bullet or a digit can carry a prefix.
    const prefixed = PREFIX_START.test(line);
    if (prefixed && LIST_ITEM.test(line) && !(folded && /^[ \t]/.test(line))) {
      endFold();
      itemLines = 0;
    } else if (!blank && /^\S/.test(line) && (prevBlank || (itemLines >= 0 && ENDS_ITEM.test(line)))) {
      endFold();
      itemLines = -1;
    } else if (itemLines >= 0) {
      itemLines += 1;
    }
    if (folded || itemLines > MARKDOWN_MAX_LIST_ITEM_LINES) {
      folded ??= [];
      folded.push(line);
      prevBlank = blank;
      continue;
    }
    if (line.length > MARKDOWN_MAX_LINE_CHARS) {
      const at = cutIndex(line, MARKDOWN_MAX_LINE_CHARS);
      line = line.slice(0, at) + hold(line.slice(at));
    }
    if (prefixed && PREFIX.exec(line)![0].length > MARKDOWN_MAX_LINE_PREFIX_CHARS) {
      line = line.slice(0, MARKDOWN_MAX_LINE_PREFIX_CHARS) + hold(line.slice(MARKDOWN_MAX_LINE_PREFIX_CHARS));
    }
    out.push(line);
    const f = FENCE.exec(line)?.[1];
    if (f) fence = f;
    prevBlank = blank;
  }
  endFold();

  if (held.length === 0) return { source: input, restore: (s) => s, unrestored: () => [] };
  const used = new Set<number>();
  const placeholder = new RegExp(`${sentinel}(\\d+)${sentinel}`, "gu");
  return {
    source: out.join("\n"),
    restore: (s) =>
      s.includes(sentinel)
        ? s
            .replace(placeholder, (_, i: string) => {
              used.add(Number(i));
              return held[Number(i)] ?? "";
            })
            .replaceAll(sentinel, "")
        : s,
    unrestored: () => held.filter((_, i) => !used.has(i)),
  };
}

// ---------------------------------------------------------------- the inline budget

/** Estimated inline work of `src`, cut where it would pass `remaining`: work grows
 * with the run's length times its delimiters (see MARKDOWN_INLINE_BUDGET_CHAR_PAIRS). */
export function inlineCut(src: string, remaining: number): { at: number; cost: number } {
  let weight = 0; // eighths of a heavy delimiter
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 42 || c === 95 || c === 126)
      weight += 8; // * _ ~
    else if (c === 91 || c === 93 || c === 60 || c === 96 || c === 33 || c === 92)
      weight += 1; // [ ] < ` ! \
    else if (c === 58 || c === 64 || (c === 46 && src.startsWith("www", i - 3))) weight += 8; // autolinks: "://", "@", "www."
    const cost = ((i + 1) * weight) / 8;
    if (cost > remaining) return { at: i, cost: (i * weight) / 8 };
  }
  return { at: src.length, cost: (src.length * weight) / 8 };
}

let remaining = MARKDOWN_INLINE_BUDGET_CHAR_PAIRS;
/** Nested inline lexing (the inside of an emphasis, a link text) is part of the run
 * already charged. */
let depth = 0;

/** Runs `parse` with a fresh inline budget (one piece of a document). */
export function withInlineBudget<T>(parse: () => T): T {
  remaining = MARKDOWN_INLINE_BUDGET_CHAR_PAIRS;
  return parse();
}

/** A marked instance whose lexer charges the inline budget. Tiptap's MarkdownManager
 * takes it as its `marked`, which also keeps the tokenizers Tiptap registers on it
 * apart from marked's global instance. */
export function createBudgetMarked(): Marked {
  const instance = new Marked();
  class BudgetLexer extends instance.Lexer {
    override inlineTokens(src: string, tokens: Token[] = []): Token[] {
      if (depth > 0) return super.inlineTokens(src, tokens);
      const { at, cost } = inlineCut(src, remaining);
      remaining = Math.max(0, remaining - cost);
      depth += 1;
      try {
        if (at >= src.length) return super.inlineTokens(src, tokens);
        super.inlineTokens(src.slice(0, at), tokens);
        const rest = src.slice(at);
        // An "escape" token is taken by Tiptap as literal text, entities and all.
        tokens.push({ type: "escape", raw: rest, text: rest });
        return tokens;
      } finally {
        depth -= 1;
      }
    }
  }
  instance.Lexer = BudgetLexer as unknown as typeof instance.Lexer;
  // marked's own `lexer()` (used by Tiptap for nested task-list content) would build
  // its base class; route it through the budget too.
  instance.lexer = (src, options) => new BudgetLexer(options ?? instance.defaults).lex(src);
  return instance;
}
