/**
 * Splits Markdown into pieces that parse to the same blocks one by one as the whole
 * does at once. Why: Tiptap's Markdown parser re-splits the rest of the input into
 * lines at every block (`parseIndentedBlocks`, used by the list extensions), so its
 * time grows with the square of the input: measured 92 ms for 32 KiB, 1.4 s for
 * 128 KiB and 33 s for 512 KiB. Parsing ~8 KiB pieces keeps it linear.
 *
 * A piece may only start where nothing before it can continue into it: after a blank
 * line, outside a code fence, on a line that starts in column 0 and is not a list item,
 * block quote or table row (those can join the block above). Link reference
 * definitions (`[x]: https://…`) can be used anywhere, so every piece gets all of them.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CONTINUES = /^(\s|[-*+](\s|$)|\d{1,9}[.)](\s|$)|>|\|)/;
const REFERENCE = /^ {0,3}\[[^\]]+\]:\s*\S/;

export const MARKDOWN_CHUNK_CHARS = 8 * 1024;

export function splitMarkdown(markdown: string, chunkChars = MARKDOWN_CHUNK_CHARS): string[] {
  if (markdown.length <= chunkChars) return [markdown];
  const lines = markdown.split("\n");
  const references = lines.filter((l) => REFERENCE.test(l));
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  let fence: string | null = null;
  let prevBlank = false;

  for (const line of lines) {
    // A piece of nothing but reference definitions would parse to an empty paragraph.
    const canCut = fence === null && prevBlank && line.trim() !== "" && !CONTINUES.test(line) && !REFERENCE.test(line);
    if (canCut && size >= chunkChars) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
    const f = FENCE.exec(line)?.[1];
    if (f) {
      // A fence closes with the same character, at least as long, nothing after it.
      if (fence === null) fence = f;
      else if (f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = null;
    }
    prevBlank = line.trim() === "";
  }
  if (current.length > 0) chunks.push(current);
  // A definition repeated in its own piece would parse as an empty paragraph.
  return chunks.map((c) => {
    const own = new Set(c);
    const missing = references.filter((r) => !own.has(r));
    return missing.length > 0 ? `${c.join("\n")}\n\n${missing.join("\n")}\n` : c.join("\n");
  });
}
