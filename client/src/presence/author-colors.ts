/**
 * Colours for recorded authors (version compare), from the presence palette: someone
 * present now keeps the colour their caret shows (matched by the Yjs client id they
 * wrote with, which their presence is keyed by, else by name), everyone else a palette
 * colour picked from their author id so it stays the same from one view to the next,
 * and no two authors of one view share a colour while the palette lasts. AI text has a colour of its own, outside the palette.
 */
import type { Author } from "../../../shared/authorship";
import { COLORS } from "../lib/identity";

/** Not a person's colour: AI text is told apart by it (and by its label). */
export const AI_COLOR = "#0c8599";
/** Text nobody is recorded for (a deletion whose deleter is unknown). */
export const UNKNOWN_COLOR = "#868e96";

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface PresentPerson {
  clientId: number;
  name: string;
  color: string;
}

export function authorColors(
  authors: readonly (Pick<Author, "id" | "name" | "kind"> & { clients?: readonly number[] })[],
  present: readonly PresentPerson[],
): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  const people = authors.filter((a) => a.kind !== "ai");
  for (const a of people) {
    const free = (p: PresentPerson) => !used.has(p.color.toLowerCase());
    const match = present.find((p) => free(p) && a.clients?.includes(p.clientId)) ?? present.find((p) => free(p) && p.name === a.name);
    if (!match) continue;
    out.set(a.id, match.color);
    used.add(match.color.toLowerCase());
  }
  for (const a of people) {
    if (out.has(a.id)) continue;
    const start = hash(a.id) % COLORS.length;
    let color = COLORS[start]!;
    for (let i = 0; i < COLORS.length; i++) {
      const c = COLORS[(start + i) % COLORS.length]!;
      if (!used.has(c.toLowerCase())) {
        color = c;
        break;
      }
    }
    out.set(a.id, color);
    used.add(color.toLowerCase());
  }
  for (const a of authors) if (a.kind === "ai") out.set(a.id, AI_COLOR);
  return out;
}
