/** What to tell the owner after a rebuild, kept across the page's switch to the new
 * session (which mounts a new history panel). */
const notices = new Map<string, string>();

export function setRebuiltNotice(docId: string, text: string): void {
  notices.set(docId, text);
}

/** The notice for this document, once. */
export function takeRebuiltNotice(docId: string): string | null {
  const text = notices.get(docId) ?? null;
  notices.delete(docId);
  return text;
}
