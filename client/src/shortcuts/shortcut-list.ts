/** Every keyboard shortcut the editor has, for the help dialog (Mod = Ctrl, ⌘ on a Mac).
 * Loaded with the dialog; `keyLabel` (keys.ts) is what the toolbar needs. */
export const SHORTCUTS: { group: string; items: [keys: string, what: string][] }[] = [
  {
    group: "Text",
    items: [
      ["Mod-B", "Bold"],
      ["Mod-I", "Italic"],
      ["Mod-Shift-S", "Strikethrough"],
      ["Mod-E", "Inline code"],
      ["Mod-K", "Add, edit or remove a link"],
    ],
  },
  {
    group: "Blocks",
    items: [
      ["Mod-Alt-1 … 3", "Heading 1 to 3"],
      ["Mod-Alt-0", "Paragraph"],
      ["Mod-Shift-8", "Bullet list"],
      ["Mod-Shift-7", "Numbered list"],
      ["Mod-Shift-9", "Task list"],
      ["Mod-Shift-B", "Quote"],
      ["Mod-Alt-C", "Code block"],
      ["/", "Insert a block (at the start of an empty line)"],
      ["Tab / Shift-Tab", "Next / previous table cell"],
    ],
  },
  {
    group: "Document",
    items: [
      ["Mod-Z", "Undo (your own changes)"],
      ["Mod-Shift-Z", "Redo"],
      ["Mod-F", "Find and replace"],
      ["Mod-J", "AI assist"],
      ["Mod-Alt-M", "Comment on the selection"],
      ["Mod-Shift-E", "Suggesting on or off"],
      ["Mod-/", "This list"],
    ],
  },
  {
    group: "Moving around",
    items: [
      ["Tab", "From the toolbar to the text (the toolbar is one stop)"],
      ["← / →, Home / End", "Between the toolbar's buttons"],
      ["Escape", "Close a panel, menu or bar and go back to the text"],
    ],
  },
];
