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
  comment?: string;
  view?: string;
}

export type Kind = keyof DocTokens;

/** Why the last link tried for a document did not open it: kept so that a reload (when
 * the dead token is already forgotten) still says what happened. */
export interface DeadLink {
  kind: Kind;
  why: "refused" | "missing" | "deleted";
}

const RECENT_KEY = "quire:recent";
const tokensKey = (id: string) => `quire:tokens:${id}`;
const unverifiedKey = (id: string) => `quire:unverified-tokens:${id}`;
const deadLinkKey = (id: string) => `quire:dead-link:${id}`;
const MAX_RECENT = 50;

const KIND_OF_ROLE: Record<Role, Kind> = { owner: "owner", editor: "edit", commenter: "comment", viewer: "view" };
const ROLE_OF_KIND: Record<Kind, Role> = { owner: "owner", edit: "editor", comment: "commenter", view: "viewer" };
const ROLE_RANK: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };
const LINK_KINDS_BY_RANK: Kind[] = ["owner", "edit", "comment", "view"];
const isKind = (k: string): k is Kind => k in ROLE_OF_KIND;

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

const isTokens = (v: unknown): v is DocTokens => typeof v === "object" && v !== null && !Array.isArray(v);

const isRecent = (v: unknown): v is RecentDoc =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as RecentDoc).id === "string" &&
  typeof (v as RecentDoc).title === "string" &&
  typeof (v as RecentDoc).lastOpened === "number";

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
  write(
    RECENT_KEY,
    recentDocs().filter((d) => d.id !== id),
  );
}

/** Tokens this browser holds for a document that the server has confirmed (or issued:
 * a new document's, a reset link's). Only these are shown in the Share dialog. */
export function docTokens(id: string): DocTokens {
  return read<DocTokens>(tokensKey(id), {}, isTokens);
}

export function saveDocTokens(id: string, tokens: DocTokens): void {
  write(tokensKey(id), { ...docTokens(id), ...tokens });
  remove(deadLinkKey(id));
}

function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    /* nothing stored */
  }
}

const isDeadLink = (v: unknown): v is DeadLink =>
  typeof v === "object" &&
  v !== null &&
  isKind(String((v as DeadLink).kind)) &&
  ["refused", "missing", "deleted"].includes((v as DeadLink).why);

/** The link that last failed to open this document, while no token has worked since. */
export function deadLink(id: string): DeadLink | null {
  return read<DeadLink | null>(deadLinkKey(id), null, isDeadLink);
}

/** The link kind a token is kept under in this browser, if any. */
function kindOf(id: string, token: string): Kind | null {
  for (const tokens of [docTokens(id), unverifiedTokens(id)]) {
    const found = Object.entries(tokens).find(([, t]) => t === token)?.[0];
    if (found && isKind(found)) return found;
  }
  return null;
}

/** Tokens taken from a link and not yet confirmed by the server (it was unreachable).
 * Kept apart, so that a crafted link (`#owner=<junk>`) can never overwrite a working
 * token: the owner link is shown only once, so losing it loses owner rights for good. */
export function unverifiedTokens(id: string): DocTokens {
  return read<DocTokens>(unverifiedKey(id), {}, isTokens);
}

/** Forgets every token for a document (after its owner deleted it here). */
export function forgetDocTokens(id: string): void {
  for (const key of [tokensKey(id), unverifiedKey(id), deadLinkKey(id)]) remove(key);
}

/** Drops a token the server no longer accepts (or whose document is gone), so the next
 * visit tries the others, and remembers why its link no longer works. */
export function forgetDocToken(id: string, token: string, why: DeadLink["why"] = "refused"): void {
  const kind = kindOf(id, token);
  if (kind) write(deadLinkKey(id), { kind, why } satisfies DeadLink);
  for (const key of [tokensKey(id), unverifiedKey(id)]) {
    const tokens = read<DocTokens>(key, {}, isTokens);
    if (Object.values(tokens).includes(token)) write(key, Object.fromEntries(Object.entries(tokens).filter(([, t]) => t !== token)));
  }
}

/** The server answered that `token` opens the document as `role`: it is stored under
 * that role's kind (whatever the link called it) and is no longer unverified. */
export function markVerified(id: string, token: string, role: Role): void {
  dropUnverified(id, token);
  saveDocTokens(id, { [KIND_OF_ROLE[role]]: token });
}

/** The server refused `token`, or has no such document (any more): the token is
 * forgotten, and why remembered; stored tokens stay as they were. */
export function markRefused(id: string, token: string, why: DeadLink["why"] = "refused"): void {
  const kind = kindOf(id, token);
  if (kind) write(deadLinkKey(id), { kind, why } satisfies DeadLink);
  dropUnverified(id, token);
}

function dropUnverified(id: string, token: string): void {
  const pending = unverifiedTokens(id);
  const kept = Object.fromEntries(Object.entries(pending).filter(([, t]) => t !== token));
  if (Object.keys(kept).length === 0) remove(unverifiedKey(id));
  else write(unverifiedKey(id), kept);
}

export interface Access {
  token: string;
  role: Role;
  /** False for a token from a link the server has not confirmed yet (opened offline). */
  verified: boolean;
}

function strongest(tokens: DocTokens, verified: boolean): Access | null {
  for (const kind of LINK_KINDS_BY_RANK) {
    const token = tokens[kind];
    if (typeof token === "string" && token) return { token, role: ROLE_OF_KIND[kind], verified };
  }
  return null;
}

/** The token to open a document with: the strongest confirmed one (owner, then edit,
 * then comment, then view); only when there is none, the strongest unconfirmed one, so a document
 * first opened from a link while offline still opens. */
export function bestToken(id: string): Access | null {
  return strongest(docTokens(id), true) ?? strongest(unverifiedTokens(id), false);
}

/** Unconfirmed tokens that could open the document with more rights than the best
 * confirmed one: worth asking the server about before opening the page. */
export function strongerUnverified(id: string): string[] {
  const best = strongest(docTokens(id), true);
  const floor = best ? ROLE_RANK[best.role] : -1;
  return Object.entries(unverifiedTokens(id)).flatMap(([kind, token]) =>
    isKind(kind) && typeof token === "string" && ROLE_RANK[ROLE_OF_KIND[kind]] > floor ? [token] : [],
  );
}

/** Reads `#owner=`, `#edit=`, `#comment=` or `#view=<token>` from a link, keeps it as unverified, and
 * removes it from the address bar so it is not shown or shared by accident. A token
 * already confirmed needs no second check. Returns whether the link held a token. */
export function takeTokenFromFragment(id: string): boolean {
  const match = /^#(owner|edit|comment|view)=([A-Za-z0-9_-]{16,128})$/.exec(window.location.hash);
  if (!match) return false;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  const kind = match[1] as Kind;
  const token = match[2]!;
  if (!Object.values(docTokens(id)).includes(token)) write(unverifiedKey(id), { ...unverifiedTokens(id), [kind]: token });
  return true;
}
