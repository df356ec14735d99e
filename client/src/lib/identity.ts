/** The local user's display name and colour, kept in localStorage. */
import { MAX_NAME_CHARS } from "../../../shared/limits";

const NAME_KEY = "quire:name";
const COLOR_KEY = "quire:color";

const ADJECTIVES = [
  "Amber",
  "Brisk",
  "Calm",
  "Dapper",
  "Eager",
  "Gentle",
  "Jolly",
  "Keen",
  "Lucky",
  "Merry",
  "Nimble",
  "Quiet",
  "Sunny",
  "Witty",
];
const ANIMALS = ["Otter", "Heron", "Fox", "Panda", "Lynx", "Robin", "Badger", "Koala", "Wren", "Marten", "Puffin", "Ibex", "Seal", "Finch"];
/** People's colours (avatars, carets, names): ten hues far enough apart to tell apart,
 * each dark enough for white initials and caret labels (≥ 4.5:1). Two people in one
 * document never share one (presence/colors.ts). */
export const COLORS = ["#c92a2a", "#b04a00", "#5c6b00", "#2b7a3b", "#0b7285", "#1864ab", "#5f3dc4", "#862e9c", "#a61e4d", "#495057"];

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

function stored(key: string, make: () => string, valid: (v: string) => boolean = () => true): string {
  try {
    const v = localStorage.getItem(key);
    if (v && valid(v)) return v;
    const fresh = make();
    localStorage.setItem(key, fresh);
    return fresh;
  } catch {
    return make();
  }
}

export interface Identity {
  name: string;
  color: string;
}

export function loadIdentity(): Identity {
  return {
    name: stored(NAME_KEY, () => `${pick(ADJECTIVES)} ${pick(ANIMALS)}`),
    // A colour from an older palette is picked again.
    color: stored(
      COLOR_KEY,
      () => pick(COLORS),
      (v) => COLORS.includes(v),
    ),
  };
}

export function saveName(name: string): string {
  const clean = name.replace(/\s+/g, " ").trim().slice(0, MAX_NAME_CHARS);
  if (!clean) return loadIdentity().name;
  try {
    localStorage.setItem(NAME_KEY, clean);
  } catch {
    /* keep it for this visit only */
  }
  return clean;
}
