/** This browser's secret author key: comments sent with it are "own" (the server keeps
 * only a hash and answers with `authorId`; see docs/COMMENTS.md). */
import { authorIdOf } from "../../../shared/comments";
import { randomId } from "../../../shared/ids";

const KEY = "quire:author-key";
const KEY_BYTES = 24;

export function authorKey(): string {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored && /^[A-Za-z0-9_-]{16,64}$/.test(stored)) return stored;
    const fresh = randomId(KEY_BYTES);
    localStorage.setItem(KEY, fresh);
    return fresh;
  } catch {
    return randomId(KEY_BYTES);
  }
}

let mine: Promise<string> | null = null;
/** The `authorId` the server shows on this browser's comments. */
export const myAuthorId = (): Promise<string> => (mine ??= authorIdOf(authorKey()));
