/** What the Suggesting switch, the AI and the suggestion machinery say to each other
 * through transaction meta, in a module small enough for the first load. */

/** Transactions carrying this meta are left alone (accept/reject, our own changes). */
export const SUGGEST_SKIP = "quire-suggest-skip";
/** A transaction carrying this meta (a SuggestAs) becomes a suggestion whether or not
 * suggestion mode is on, attributed as it says (an AI answer applied as "Suggest"). */
export const SUGGEST_AS = "quire-suggest-as";

export interface SuggestAs {
  author: string;
  command: string | null;
  model: string | null;
}

export interface SuggestOptions {
  author: string;
  /** A fresh change id: `${clientID}-${counter}`. */
  nextId(): string;
  /** The id prefix of this client (`${clientID}-`), to keep typing in one change. */
  ownPrefix: string;
  now(): number;
  /** Recorded on AI proposals. */
  command?: string | null;
  model?: string | null;
}
