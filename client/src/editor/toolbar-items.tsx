/** What the formatting toolbar offers: each item's name, what the row shows, its
 * shortcut, how much it is wanted on a narrow row (`keep`: lower leaves first for the
 * More menu) and what it does. The numbered list draws an icon: "1." is text a person
 * could say, which would then have to be part of the button's name. */
import type { Editor } from "@tiptap/core";
import type { ReactNode } from "react";
import { chooseImageFile } from "../images";
import { openLinkEditor } from "../links/link-shortcut";

export interface ToolItem {
  key: string;
  /** The accessible name (see `accessibleName`), and the More menu's text. */
  label: string;
  /** What the row shows (the label itself when absent). */
  icon?: ReactNode;
  shortcut?: string;
  group: string;
  keep: number;
  /** A toggle's state (absent: not a toggle). */
  pressed?: boolean;
  disabled?: boolean;
  /** More than the name says, in the tooltip. */
  hint?: string;
  run: () => void;
  className?: string;
}

const svg = (children: ReactNode) => (
  <svg
    width="16"
    height="16"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2.2"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
  >
    {children}
  </svg>
);

const ICONS = {
  link: svg(
    <>
      <path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" />
      <path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
    </>,
  ),
  image: svg(
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <circle cx="9" cy="10" r="2" />
      <path d="m21 17-5-5-9 8" />
    </>,
  ),
  numbers: svg(
    <>
      <path d="M10 6h11M10 12h11M10 18h11" />
      <path d="M3.5 4.5 5 4v5M3.5 9h3M3.5 14.5a1.5 1.5 0 0 1 3 0c0 1.2-3 2.2-3 4h3" strokeWidth="1.6" />
    </>,
  ),
};

/** The toggles' states and the enabled flags, read from the editor on each change. */
export type Flags = Record<string, { active?: boolean; enabled?: boolean }>;

interface Formatting {
  key: string;
  label: string;
  icon: ReactNode;
  shortcut?: string;
  group: string;
  keep: number;
  active?: (e: Editor) => boolean;
  enabled?: (e: Editor) => boolean;
  run: (e: Editor) => void;
}

const heading = (level: 1 | 2 | 3, keep: number): Formatting => ({
  key: `h${level}`,
  label: `Heading ${level}`,
  icon: `H${level}`,
  shortcut: `Mod-Alt-${level}`,
  group: "block",
  keep,
  active: (e) => e.isActive("heading", { level }),
  run: (e) => e.chain().focus().toggleHeading({ level }).run(),
});

export const FORMATTING: Formatting[] = [
  {
    key: "undo",
    label: "Undo",
    icon: "↶",
    shortcut: "Mod-Z",
    group: "history",
    keep: 9,
    run: (e) => e.chain().focus().undo().run(),
    enabled: (e) => e.can().undo(),
  },
  {
    key: "redo",
    label: "Redo",
    icon: "↷",
    shortcut: "Mod-Shift-Z",
    group: "history",
    keep: 8,
    run: (e) => e.chain().focus().redo().run(),
    enabled: (e) => e.can().redo(),
  },
  heading(1, 7),
  heading(2, 6),
  heading(3, 4),
  {
    key: "bold",
    label: "Bold",
    icon: "B",
    shortcut: "Mod-B",
    group: "text",
    keep: 10,
    active: (e) => e.isActive("bold"),
    run: (e) => e.chain().focus().toggleBold().run(),
  },
  {
    key: "italic",
    label: "Italic",
    icon: "I",
    shortcut: "Mod-I",
    group: "text",
    keep: 10,
    active: (e) => e.isActive("italic"),
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    key: "strike",
    label: "Strikethrough",
    icon: "S",
    shortcut: "Mod-Shift-S",
    group: "text",
    keep: 4,
    active: (e) => e.isActive("strike"),
    run: (e) => e.chain().focus().toggleStrike().run(),
  },
  {
    key: "code",
    label: "Inline code",
    icon: "</>",
    shortcut: "Mod-E",
    group: "text",
    keep: 4,
    active: (e) => e.isActive("code"),
    run: (e) => e.chain().focus().toggleCode().run(),
  },
  {
    key: "link",
    label: "Link",
    icon: ICONS.link,
    shortcut: "Mod-K",
    group: "text",
    keep: 7,
    active: (e) => e.isActive("link"),
    run: (e) => openLinkEditor(e),
  },
  {
    key: "bullets",
    label: "Bullet list",
    icon: "•",
    shortcut: "Mod-Shift-8",
    group: "lists",
    keep: 7,
    active: (e) => e.isActive("bulletList"),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    key: "numbers",
    label: "Numbered list",
    icon: ICONS.numbers,
    shortcut: "Mod-Shift-7",
    group: "lists",
    keep: 5,
    active: (e) => e.isActive("orderedList"),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    key: "tasks",
    label: "Task list",
    icon: "☑",
    shortcut: "Mod-Shift-9",
    group: "lists",
    keep: 5,
    active: (e) => e.isActive("taskList"),
    run: (e) => e.chain().focus().toggleTaskList().run(),
  },
  {
    key: "quote",
    label: "Quote",
    icon: "❝",
    shortcut: "Mod-Shift-B",
    group: "insert",
    keep: 3,
    active: (e) => e.isActive("blockquote"),
    run: (e) => e.chain().focus().toggleBlockquote().run(),
  },
  {
    key: "codeblock",
    label: "Code block",
    icon: "{ }",
    shortcut: "Mod-Alt-C",
    group: "insert",
    keep: 3,
    active: (e) => e.isActive("codeBlock"),
    run: (e) => e.chain().focus().toggleCodeBlock().run(),
  },
  { key: "divider", label: "Divider", icon: "―", group: "insert", keep: 2, run: (e) => e.chain().focus().setHorizontalRule().run() },
  {
    key: "table",
    label: "Table",
    icon: "▦",
    group: "insert",
    keep: 3,
    run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    enabled: (e) => e.can().insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
  },
  { key: "image", label: "Image", icon: ICONS.image, group: "insert", keep: 3, run: (e) => chooseImageFile(e) },
];

/** A compact string of every toggle and enabled flag, so the toolbar re-renders only
 * when one of them changes. */
export function readFlags(e: Editor): string {
  return FORMATTING.map((f) => `${f.active?.(e) ? 1 : 0}${f.enabled ? (f.enabled(e) ? 1 : 0) : 1}`).join("");
}

/** The formatting items for the editor, with the flags `readFlags` encoded. */
export function formattingItems(editor: Editor, flags: string, disabled: boolean): ToolItem[] {
  return FORMATTING.map((f, i) => ({
    key: f.key,
    label: f.label,
    icon: f.icon,
    ...(f.shortcut ? { shortcut: f.shortcut } : {}),
    group: f.group,
    keep: f.keep,
    ...(f.active ? { pressed: flags[i * 2] === "1" } : {}),
    disabled: disabled || flags[i * 2 + 1] !== "1",
    run: () => f.run(editor),
  }));
}

/** The row button's accessible name. Text the button shows is part of it (WCAG's
 * "label in name", so "click H1" works by voice): "Heading 1, H1". Symbols and single
 * letters (B, I, ↶) are not words a person would say, so the label alone names them. */
export function accessibleName(item: ToolItem): string {
  const shown = typeof item.icon === "string" ? item.icon : null;
  if (!shown || shown.length < 2 || !/[a-z0-9]/i.test(shown)) return item.label;
  return item.label.toLowerCase().includes(shown.toLowerCase()) ? item.label : `${item.label}, ${shown}`;
}
