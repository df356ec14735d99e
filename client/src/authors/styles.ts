/** Colours and hover text per author in the Authors view. Colours are version
 * compare's (presence/author-colors.ts): someone present keeps their caret's colour,
 * everyone else a palette colour stable from one view to the next, AI text a colour of
 * its own (and hatched, authors.css). */
import type { Author } from "../../../shared/authorship";
import { type PresentPerson, authorColors } from "../presence/author-colors";
import type { AuthorStyle } from "./decorations";

const time = (at: number | undefined): string =>
  at === undefined ? "" : new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

const LINKS: Record<string, string> = { owner: "owner", edit: "edit link" };

export function hoverText(a: Author): string {
  if (a.kind === "ai") {
    const parts = [`AI (${a.model ?? "unknown model"})`];
    if (a.requestedBy) parts.push(`asked by ${a.requestedBy}`);
    if (a.acceptedBy) parts.push(`${a.landing === "suggestion" ? "suggested" : "accepted"} by ${a.acceptedBy}`);
    if (a.at !== undefined) parts.push(time(a.at));
    return parts.join(", ");
  }
  return a.link ? `${a.name} (${LINKS[a.link]})` : a.name;
}

export function authorStyles(authors: readonly Author[], present: readonly PresentPerson[]): Map<string, AuthorStyle> {
  const colors = authorColors(authors, present);
  return new Map(authors.map((a) => [a.id, { color: colors.get(a.id) ?? "#495057", title: hoverText(a), ai: a.kind === "ai" }]));
}
