/**
 * Workaround for a Tiptap limit, in one place: marked offers every custom block
 * tokenizer the whole rest of the document at every block, and Tiptap's table and task
 * list tokenizers split that rest into lines before looking at its first line (the
 * table's `start` does the same for every paragraph). Parsing is then quadratic in the
 * number of blocks: 16 KiB of "---" lines took 2.5 s, 32 KiB 8.9 s. These wrappers
 * answer "not here" from the first line or two, as Tiptap's ordered list already does,
 * and call the original only where the construct can start. Output is unchanged.
 */
import type { MarkdownTokenizer } from "@tiptap/core";

/** The first `count` lines of `src`, without reading further. */
function firstLines(src: string, count: number): string[] {
  const lines: string[] = [];
  let from = 0;
  while (lines.length < count) {
    const end = src.indexOf("\n", from);
    lines.push(src.slice(from, end === -1 ? undefined : end));
    if (end === -1) break;
    from = end + 1;
  }
  return lines;
}

/** GFM: a header row with a pipe, then a delimiter row of dashes, colons and pipes. */
function startsTable(src: string): boolean {
  const [head, sep] = firstLines(src, 2);
  return head !== undefined && sep !== undefined && head.includes("|") && sep.includes("|") && /^[ \t|:]*-[ \t|:-]*$/.test(sep);
}

const TASK_ITEM = /^(?:[ \t]*\n){0,8}[ \t]*[-+*][ \t]+\[[ xX]\][ \t]+/;

function guard(tokenizer: MarkdownTokenizer, canStart: (src: string) => boolean, startAt: (src: string) => number): MarkdownTokenizer {
  return {
    ...tokenizer,
    start: startAt,
    tokenize: (src, tokens, lexer) => (canStart(src) ? tokenizer.tokenize(src, tokens, lexer) : undefined),
  };
}

export function guardTableTokenizer(tokenizer: MarkdownTokenizer): MarkdownTokenizer {
  // Tiptap's own start only ever answers 0 (a table right here) or -1.
  return guard(tokenizer, startsTable, (src) => (startsTable(src) ? 0 : -1));
}

export function guardTaskListTokenizer(tokenizer: MarkdownTokenizer): MarkdownTokenizer {
  return guard(
    tokenizer,
    (src) => TASK_ITEM.test(src.slice(0, 4096)),
    (src) => (TASK_ITEM.test(src.slice(0, 4096)) ? 0 : -1),
  );
}
