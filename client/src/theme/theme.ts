/** Light, dark or the system's choice, kept per browser. "system" leaves <html> without
 * a data-theme, so CSS `color-scheme: light dark` follows prefers-color-scheme live. */
export type ThemeChoice = "light" | "dark" | "system";

const KEY = "quire:theme";

export function loadTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === "system") delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export function saveTheme(choice: ThemeChoice): void {
  try {
    if (choice === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    /* storage off (private mode): the choice lasts for this page */
  }
  applyTheme(choice);
}
