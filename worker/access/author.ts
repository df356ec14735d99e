/**
 * Who a socket writes as: the browser's author key (kept only as its hash, the same
 * id its comments show as "mine") and the display name it gives, read from the query
 * (`?authorKey=…&name=…`) once at the upgrade and handed to the room in a header the
 * gate sets, overwriting anything the client sent. The room records them with each
 * client id the socket introduces (room/client-ids.ts): nothing in the Y.Doc names
 * who wrote what, so no client can claim another's text.
 */
import { MAX_AUTHOR_KEY_CHARS, MAX_AUTHOR_NAME_CHARS, MIN_AUTHOR_KEY_CHARS } from "../../shared/limits";
import { authorIdOf } from "../../shared/comments";
import { wellFormed } from "../../shared/text";

export const AUTHOR_HEADER = "x-quire-author";
export const AUTHOR_KEY_PARAM = "authorKey";
export const AUTHOR_NAME_PARAM = "name";

const KEY = new RegExp(`^[A-Za-z0-9_-]{${MIN_AUTHOR_KEY_CHARS},${MAX_AUTHOR_KEY_CHARS}}$`);

export interface SocketAuthor {
  /** `authorIdOf(authorKey)`: 16 hex digits. Absent for tools that send no key. */
  key?: string;
  name?: string;
}

/** The socket's author from its query, or a reason to refuse it. */
export async function socketAuthor(params: URLSearchParams): Promise<SocketAuthor | { refused: string }> {
  const author: SocketAuthor = {};
  const key = params.get(AUTHOR_KEY_PARAM);
  if (key !== null) {
    if (!KEY.test(key)) return { refused: `authorKey must be ${MIN_AUTHOR_KEY_CHARS}–${MAX_AUTHOR_KEY_CHARS} letters, digits, - or _` };
    author.key = await authorIdOf(key);
  }
  const name = params.get(AUTHOR_NAME_PARAM)?.trim();
  if (name) {
    if ([...name].length > MAX_AUTHOR_NAME_CHARS) return { refused: `name is limited to ${MAX_AUTHOR_NAME_CHARS} characters` };
    author.name = wellFormed(name);
  }
  return author;
}

export const encodeAuthor = (a: SocketAuthor): string => encodeURIComponent(JSON.stringify(a));

/** The header as the gate wrote it (it is never the client's). */
export function decodeAuthor(header: string | null): SocketAuthor {
  if (!header) return {};
  try {
    const v: unknown = JSON.parse(decodeURIComponent(header));
    if (typeof v !== "object" || v === null) return {};
    const { key, name } = v as Record<string, unknown>;
    return { ...(typeof key === "string" ? { key } : {}), ...(typeof name === "string" ? { name } : {}) };
  } catch {
    return {};
  }
}
