/** Which toolbar items fit on one row. Items keep their order; when they do not all fit,
 * the ones with the lowest `keep` leave first for the More menu, whose button then
 * takes its own place at the end of the row. Pure, so it is tested without a browser. */

export interface FitItem {
  key: string;
  /** Measured width in px. */
  width: number;
  /** Higher stays longer. */
  keep: number;
  /** Items of another group than the one before get a separator. */
  group: string;
}

export interface FitSpace {
  /** Room for the items, in px. */
  available: number;
  /** Between two items. */
  gap: number;
  /** A separator's extra width between groups. */
  separator: number;
  /** The More button's width. */
  more: number;
}

/** The width a row of these items (in this order) takes, with the More button if `more`. */
export function rowWidth(items: readonly FitItem[], space: FitSpace, more: boolean): number {
  let width = 0;
  items.forEach((item, i) => {
    if (i > 0) width += space.gap + (items[i - 1]!.group !== item.group ? space.separator : 0);
    width += item.width;
  });
  if (more) width += (items.length > 0 ? space.gap + space.separator : 0) + space.more;
  return width;
}

/** The keys shown on the row; the others go to the More menu. */
export function fitToolbar(items: readonly FitItem[], space: FitSpace): Set<string> {
  if (rowWidth(items, space, false) <= space.available) return new Set(items.map((i) => i.key));
  const order = new Map(items.map((item, i) => [item.key, i]));
  // Most wanted first; a tie keeps the row's order.
  const byKeep = [...items].sort((a, b) => b.keep - a.keep || order.get(a.key)! - order.get(b.key)!);
  const shown = new Set<string>();
  for (const candidate of byKeep) {
    shown.add(candidate.key);
    const row = items.filter((i) => shown.has(i.key));
    if (rowWidth(row, space, true) > space.available) shown.delete(candidate.key);
  }
  return shown;
}
