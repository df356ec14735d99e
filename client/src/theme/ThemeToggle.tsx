import { useState } from "react";
import { loadTheme, saveTheme, type ThemeChoice } from "./theme";

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: "light", light: "dark", dark: "system" };
const ICON: Record<ThemeChoice, string> = { system: "◐", light: "☀", dark: "☾" };
const NAME: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

/** One button cycling system → light → dark; its name says the current choice. */
export function ThemeToggle() {
  const [choice, setChoice] = useState(loadTheme);
  return (
    <button
      type="button"
      className="button theme-toggle"
      aria-label={`Theme: ${NAME[choice]}`}
      title={`Theme: ${NAME[choice]} (click for ${NAME[NEXT[choice]]})`}
      onClick={() => {
        const next = NEXT[choice];
        saveTheme(next);
        setChoice(next);
      }}
    >
      <span aria-hidden="true">{ICON[choice]}</span>
    </button>
  );
}
