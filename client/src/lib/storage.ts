/** What the browser remembers: recent documents and the tokens that open them.
 * Tokens stay on this device (localStorage), never in a URL after the first visit. */
import type { Role } from "../../../shared/protocol";

export interface RecentDoc {
  id: string;
  title: string;
  lastOpened: number;
  role: Role;
}

export interface DocTokens {
  owner?: string;
  edit?: string;
  view?: string;
}

const RECENT_KEY = "quire:recent";
const tokensKey = (id: string) => `quire:tokens:${id}`;
const MAX_RECENT = 50;

function read<T>(key: string, fallback: T, valid: (v: unknown) => v is T): T {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return fallback;
    const value: unknown = JSON.parse(raw);
    return valid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the app still works for this visit.
  }
}

const isRecent = (v: unknown): v is RecentDoc =>
  typeof v === "object" && v !== null && typeof (v as RecentDoc).id === "string" &&
  typeof (v as RecentDoc).title === "string" && typeof (v as RecentDoc).lastOpened === "number";

export function recentDocs(): RecentDoc[] {
  const list = read<unknown[]>(RECENT_KEY, [], Array.isArray);
  return list.filter(isRecent).sort((a, b) => b.lastOpened - a.lastOpened);
}

export function rememberDoc(doc: Omit<RecentDoc, "lastOpened"> & { lastOpened?: number }): void {
  const others = recentDocs().filter((d) => d.id !== doc.id);
  write(RECENT_KEY, [{ ...doc, lastOpened: doc.lastOpened ?? Date.now() }, ...others].slice(0, MAX_RECENT));
}

export function updateRecentTitle(id: string, title: string): void {
  const list = recentDocs();
  const found = list.find((d) => d.id === id);
  if (!found || found.title === title) return;
  found.title = title;
  write(RECENT_KEY, list);
}

export function forgetDoc(id: string): void {
  write(RECENT_KEY, recentDocs().filter((d) => d.id !== id));
}

export function docTokens(id: string): DocTokens {
  const isTokens = (v: unknown): v is DocTokens => typeof v === "object" && v !== null;
  return read<DocTokens>(tokensKey(id), {}, isTokens);
}

export function saveDocTokens(id: string, tokens: DocTokens): void {
  write(tokensKey(id), { ...docTokens(id), ...tokens });
}

/** Forgets every token for a document (after its owner deleted it here). */
export function forgetDocTokens(id: string): void {
  try {
    localStorage.removeItem(tokensKey(id));
  } catch {
    /* nothing stored */
  }
}

/** Drops a token the server no longer accepts, so the next visit tries the others. */
export function forgetDocToken(id: string, token: string): void {
  const tokens = docTokens(id);
  const kept = Object.fromEntries(Object.entries(tokens).filter(([, t]) => t !== token));
  write(tokensKey(id), kept);
}

/** The strongest token this browser holds for a document: owner, then edit, then view. */
export function bestToken(id: string): { token: string; role: Role } | null {
  const t = docTokens(id);
  if (t.owner) return { token: t.owner, role: "owner" };
  if (t.edit) return { token: t.edit, role: "editor" };
  if (t.view) return { token: t.view, role: "viewer" };
  return null;
}

/** Reads `#owner=`, `#edit=` or `#view=<token>` from a link, stores it, and removes it
 * from the address bar so it is not shown or shared by accident. */
export function takeTokenFromFragment(id: string): void {
  const match = /^#(owner|edit|view)=([A-Za-z0-9_-]{16,128})$/.exec(window.location.hash);
  if (!match) return;
  saveDocTokens(id, { [match[1] as "owner" | "edit" | "view"]: match[2] });
  history.replaceState(null, "", window.location.pathname + window.location.search);
}
