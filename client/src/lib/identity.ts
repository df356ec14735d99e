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
export const COLORS = ["#e03131", "#2f9e44", "#1971c2", "#f08c00", "#9c36b5", "#0c8599", "#c2255c", "#5c940d", "#6741d9", "#e8590c"];

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

function stored(key: string, make: () => string): string {
  try {
    const v = localStorage.getItem(key);
    if (v) return v;
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
    color: stored(COLOR_KEY, () => pick(COLORS)),
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
