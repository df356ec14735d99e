import { safeHref } from "../../../shared/links";

/** What someone typed into the link field, as the address to store, or null when the
 * allowlist (shared/links.ts, the only one) refuses it. People type "example.com" or
 * "ana@example.com" and mean the web page or the mail address, so those get their
 * scheme first; everything else is judged as typed. */
export function hrefFromInput(raw: string): string | null {
  const typed = raw.trim();
  if (/^[^\s@/:]+@[^\s@/:]+\.[^\s@/:]+$/.test(typed)) return safeHref(`mailto:${typed}`);
  if (/^(localhost|[\w-]+(\.[\w-]+)+)(:\d+)?([/?#]|$)/i.test(typed)) return safeHref(`https://${typed}`);
  return safeHref(typed);
}
