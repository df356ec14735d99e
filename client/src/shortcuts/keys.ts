/** Shortcuts as this computer writes them (the toolbar's tooltips, the More menu, the
 * shortcut list). */
const mac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** "Mod-Shift-Z" as this computer writes it. */
export const keyLabel = (s: string): string =>
  s
    .replace(/Mod/g, mac ? "⌘" : "Ctrl")
    .replace(/Alt/g, mac ? "⌥" : "Alt")
    .replace(/-(?=\S)/g, "+");
