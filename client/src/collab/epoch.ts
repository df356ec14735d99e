/**
 * Which epoch this browser's copy of a document belongs to, and what it had not sent.
 *
 * The owner can rebuild a document (a fresh CRDT state, a new epoch; the server says
 * which in its welcome). A copy from another epoch must never be synced: its whole
 * history would be merged back. So each epoch's copy lives in an IndexedDB database of
 * its own (an older copy written by another tab can never be loaded into the new
 * epoch's document), the epoch is kept in localStorage (read synchronously before the
 * socket opens) and sent when connecting. When the welcome names another epoch, the
 * session drops its copy; if that copy had changes the server never confirmed, they are
 * kept here as a copy to offer back (history/UnsavedCopy.tsx): the rebuilt document is
 * another CRDT, so they cannot be merged into it.
 */
const epochKey = (id: string) => `quire:epoch:${id}`;
const unsentKey = (id: string) => `quire:unsent:${id}`;
export const unsavedCopyKey = (id: string) => `quire:unsaved-copy:${id}`;

/** Fired on window when an unsaved copy is kept or dismissed (detail: the document id). */
export const UNSAVED_COPY_EVENT = "quire:unsaved-copy";

/** Also in memory: with storage disabled, this page still reconnects at the right one. */
const epochs = new Map<string, number>();

export function storedEpoch(id: string): number {
  let n = 0;
  try {
    n = Number(localStorage.getItem(epochKey(id)) ?? 0);
  } catch {
    /* storage disabled */
  }
  return Math.max(Number.isSafeInteger(n) && n >= 0 ? n : 0, epochs.get(id) ?? 0);
}

export function storeEpoch(id: string, epoch: number): void {
  epochs.set(id, epoch);
  try {
    localStorage.setItem(epochKey(id), String(epoch));
  } catch {
    /* storage disabled: the next visit is refused once more and learns it again */
  }
}

/** The IndexedDB database holding this browser's copy of the document at `epoch`
 * (epoch 0 keeps the name copies had before epochs existed). */
export const localCopyName = (id: string, epoch: number): string => (epoch === 0 ? `quire:${id}` : `quire:${id}@${epoch}`);

/** Set while this browser holds changes the server has not confirmed (survives a
 * reload: offline edits live in IndexedDB only). */
export function markUnsent(id: string, unsent: boolean): void {
  try {
    if (unsent) localStorage.setItem(unsentKey(id), "1");
    else localStorage.removeItem(unsentKey(id));
  } catch {
    /* storage disabled */
  }
}

export function hadUnsent(id: string): boolean {
  try {
    return localStorage.getItem(unsentKey(id)) !== null;
  } catch {
    return false;
  }
}

/** Documents this page holds an unsaved copy of (unsaved-copy.ts), beside localStorage,
 * which a copy too large for it never reaches. */
export const heldCopies = new Set<string>();

/** Why a copy was kept aside: the owner rebuilt the document, or the server refused a
 * change as too large for it (4413). Kept beside the copy, small, so the notice can say
 * which without reading the copy. */
export type UnsavedWhy = "rebuilt" | "too-large";
export const unsavedWhyKey = (id: string) => `${unsavedCopyKey(id)}.why`;
export const heldWhy = new Map<string, UnsavedWhy>();

export function unsavedCopyWhy(id: string): UnsavedWhy {
  const held = heldWhy.get(id);
  if (held) return held;
  try {
    return localStorage.getItem(unsavedWhyKey(id)) === "too-large" ? "too-large" : "rebuilt";
  } catch {
    return "rebuilt";
  }
}

/** Whether an unsaved copy waits to be offered back (cheap: the copy itself is read by
 * unsaved-copy.ts, loaded only then). */
export function hasUnsavedCopy(id: string): boolean {
  if (heldCopies.has(id)) return true;
  try {
    return localStorage.getItem(unsavedCopyKey(id)) !== null;
  } catch {
    return false;
  }
}
