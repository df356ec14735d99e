/** The owner link is shown once, right after the document is created: this flag (per
 * tab) says it is still to be shown. The token itself stays in localStorage. */
const key = (id: string) => `quire:show-owner-link:${id}`;

export function markOwnerLinkPending(id: string): void {
  try {
    sessionStorage.setItem(key(id), "1");
  } catch {
    /* private mode: the owner can still save the link from the share dialog's hint */
  }
}

export function ownerLinkPending(id: string): boolean {
  try {
    return sessionStorage.getItem(key(id)) === "1";
  } catch {
    return false;
  }
}

export function ownerLinkShown(id: string): void {
  try {
    sessionStorage.removeItem(key(id));
  } catch {
    /* nothing to clear */
  }
}
