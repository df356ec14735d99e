/**
 * Marks of identity in client updates (shared/identity-marks.ts), checked on new text
 * before the update touches the live document:
 *
 *  - a **suggestion mark** (and a node's suggestion record, which says the same) carries the id `<clientID>-<counter>` its maker took from its
 *    own Yjs client id, and an author. It is accepted when the text it marks is written
 *    by that very client id (a suggestion made now), or when the document has had that
 *    id with that author (moved text: cut and paste, undo, joining paragraphs write
 *    existing suggestion ids again from other client ids): recorded in client-ids.ts,
 *    found in this update made by its own client id, or present in the live document.
 *    Anything else is a suggestion forged in someone else's name, and refused.
 *  - a **comment mark** ties text to a thread, and the server sets it when a thread is
 *    started. A client may carry an existing thread's mark along with text (the same
 *    moves as above, and undo of a deletion, which Yjs restores with its formatting),
 *    so a comment mark is accepted only for a thread of this document; one naming any
 *    other thread is refused. Moving an anchor needs an edit link, which may delete the
 *    anchored text anyway; nobody can create an anchor for a thread that does not exist.
 *
 * Accepted suggestion ids are recorded so that their text can still be moved after the
 * original marks were deleted and garbage-collected.
 */
import * as Y from "yjs";
import { COMMENT_MARK } from "../../shared/comments";
import { parseSuggestionId } from "../../shared/identity-marks";
import { readRecord } from "../../shared/schema-suggestion";
import type { ClientIdRegistry } from "./client-ids";
import type { FoundMark } from "./update-check";

/** y-prosemirror names an overlapping mark `name--<8 characters of hash>`. */
const baseName = (key: string) => key.replace(/--[a-zA-Z0-9+/=]{8}$/, "");

interface Suggestion {
  client: number;
  counter: number;
  author: string;
  id: string;
}

function suggestionOf(m: FoundMark): Suggestion | null {
  const id = m.attrs.id;
  const author = m.attrs.author;
  const parsed = parseSuggestionId(id);
  return parsed && typeof author === "string" ? { ...parsed, author, id: id as string } : null;
}

const key = (id: string, author: string) => `${id}\u0000${author}`;

/** Every suggestion id with its author as the live document shows them: O(items). */
export function suggestionsIn(doc: Y.Doc, names: readonly string[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const structs of doc.store.clients.values()) {
    for (const s of structs) {
      if (!(s instanceof Y.Item) || s.deleted) continue;
      if (s.content instanceof Y.ContentFormat) {
        const { key: k, value } = s.content;
        if (value === null || typeof value !== "object" || !names.includes(baseName(k))) continue;
        const found = suggestionOf({ writer: s.id.client, name: baseName(k), attrs: value as Record<string, unknown> });
        if (found) out.push(found);
      } else if (s.parentSub !== null && s.content instanceof Y.ContentAny && names.includes(s.parentSub)) {
        // A node's suggestion record (suggestNode, suggestBreak, suggestFrom).
        const record = readRecord(s.content.arr[0]);
        const found = record && suggestionOf({ writer: s.id.client, name: s.parentSub, attrs: { id: record.id, author: record.author } });
        if (found) out.push(found);
      }
    }
  }
  return out;
}

export class IdentityMarks {
  /** The live document's suggestions (id + author), read once per batch on first need. */
  private live: Set<string> | null = null;

  constructor(
    private readonly doc: Y.Doc,
    private readonly registry: ClientIdRegistry,
    private readonly suggestionMarks: readonly string[],
    private readonly threadExists: (threadId: string) => boolean,
  ) {}

  /** Why these marks (all new in one update) are refused, or null. */
  check(marks: readonly FoundMark[]): string | null {
    const own = new Set<string>();
    for (const m of marks) {
      const s = m.name === COMMENT_MARK ? null : suggestionOf(m);
      if (s && s.client === m.writer) own.add(key(s.id, s.author));
    }
    for (const m of marks) {
      if (m.name === COMMENT_MARK) {
        const threadId = m.attrs.threadId;
        if (typeof threadId !== "string" || !this.threadExists(threadId)) return "a comment anchor the server did not set";
        continue;
      }
      const s = suggestionOf(m);
      if (!s) return "a suggestion without its id and author";
      if (s.client === m.writer || own.has(key(s.id, s.author))) continue;
      if (this.registry.hasSuggestion(s.client, s.counter, s.author)) continue;
      this.live ??= new Set(suggestionsIn(this.doc, this.suggestionMarks).map((x) => key(x.id, x.author)));
      if (this.live.has(key(s.id, s.author))) continue;
      return "a suggestion under another editor's id";
    }
    return null;
  }

  /** The marks were applied: remember their suggestion ids. */
  accepted(marks: readonly FoundMark[]): void {
    for (const m of marks) {
      const s = m.name === COMMENT_MARK ? null : suggestionOf(m);
      if (s) this.registry.noteSuggestion(s.client, s.counter, s.author);
    }
  }
}
