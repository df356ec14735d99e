/** Colours and hover text per author in the Authors view. People take the palette's
 * colours in the order they first wrote (so the same document shows the same colours
 * to everyone); AI text is hatched in one colour of its own, whoever asked. */
import type { Author } from "../../../shared/authorship";
import { COLORS } from "../lib/identity";
import type { AuthorStyle } from "./decorations";

export const AI_COLOR = "#7048e8";

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

export function authorStyles(authors: readonly Author[]): Map<string, AuthorStyle> {
  const people = authors.filter((a) => a.kind === "person").sort((x, y) => (x.at ?? 0) - (y.at ?? 0) || x.id.localeCompare(y.id));
  const palette = COLORS.filter((c) => c !== AI_COLOR);
  const styles = new Map<string, AuthorStyle>();
  for (const [i, a] of people.entries()) styles.set(a.id, { color: palette[i % palette.length]!, title: hoverText(a), ai: false });
  for (const a of authors) if (a.kind === "ai") styles.set(a.id, { color: AI_COLOR, title: hoverText(a), ai: true });
  return styles;
}
