/** Word and character counts as a word processor shows them: words by the language's
 * own word boundaries (so Chinese or Japanese text is not one "word" per paragraph),
 * characters as people see them (an emoji or an accented letter is one), spaces
 * included, block breaks not. */
export interface Counts {
  words: number;
  characters: number;
}

const words = new Intl.Segmenter(undefined, { granularity: "word" });
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export function countText(text: string): Counts {
  let w = 0;
  for (const s of words.segment(text)) if (s.isWordLike) w += 1;
  let c = 0;
  for (const g of graphemes.segment(text)) if (g.segment !== "\n") c += 1;
  return { words: w, characters: c };
}
