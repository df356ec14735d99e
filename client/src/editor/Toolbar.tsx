import { useEditorState, type Editor } from "@tiptap/react";
import type { ReactNode } from "react";
import { chooseImageFile } from "../images";
import { openLinkEditor } from "../links/link-shortcut";

const LinkIcon = (
  <svg
    width="16"
    height="16"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2.2"
    strokeLinecap="round"
    aria-hidden="true"
  >
    <path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" />
    <path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
  </svg>
);

const ImageIcon = (
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
    <rect x="3" y="4" width="18" height="16" rx="2" />
    <circle cx="9" cy="10" r="2" />
    <path d="m21 17-5-5-9 8" />
  </svg>
);

interface Button {
  label: string;
  text: ReactNode;
  shortcut?: string;
  active?: (e: Editor) => boolean;
  run: (e: Editor) => void;
  enabled?: (e: Editor) => boolean;
}

const GROUPS: Button[][] = [
  [
    { label: "Undo", text: "↶", shortcut: "Mod-Z", run: (e) => e.chain().focus().undo().run(), enabled: (e) => e.can().undo() },
    { label: "Redo", text: "↷", shortcut: "Mod-Shift-Z", run: (e) => e.chain().focus().redo().run(), enabled: (e) => e.can().redo() },
  ],
  [
    {
      label: "Heading 1",
      text: "H1",
      active: (e) => e.isActive("heading", { level: 1 }),
      run: (e) => e.chain().focus().toggleHeading({ level: 1 }).run(),
    },
    {
      label: "Heading 2",
      text: "H2",
      active: (e) => e.isActive("heading", { level: 2 }),
      run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
    },
    {
      label: "Heading 3",
      text: "H3",
      active: (e) => e.isActive("heading", { level: 3 }),
      run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
    },
  ],
  [
    { label: "Bold", text: "B", shortcut: "Mod-B", active: (e) => e.isActive("bold"), run: (e) => e.chain().focus().toggleBold().run() },
    {
      label: "Italic",
      text: "I",
      shortcut: "Mod-I",
      active: (e) => e.isActive("italic"),
      run: (e) => e.chain().focus().toggleItalic().run(),
    },
    {
      label: "Strikethrough",
      text: "S",
      shortcut: "Mod-Shift-S",
      active: (e) => e.isActive("strike"),
      run: (e) => e.chain().focus().toggleStrike().run(),
    },
    {
      label: "Inline code",
      text: "</>",
      shortcut: "Mod-E",
      active: (e) => e.isActive("code"),
      run: (e) => e.chain().focus().toggleCode().run(),
    },
    {
      label: "Link",
      text: LinkIcon,
      shortcut: "Mod-K",
      active: (e) => e.isActive("link"),
      run: (e) => openLinkEditor(e),
    },
  ],
  [
    {
      label: "Bullet list",
      text: "•",
      shortcut: "Mod-Shift-8",
      active: (e) => e.isActive("bulletList"),
      run: (e) => e.chain().focus().toggleBulletList().run(),
    },
    {
      label: "Numbered list",
      text: "1.",
      shortcut: "Mod-Shift-7",
      active: (e) => e.isActive("orderedList"),
      run: (e) => e.chain().focus().toggleOrderedList().run(),
    },
    {
      label: "Task list",
      text: "☑",
      shortcut: "Mod-Shift-9",
      active: (e) => e.isActive("taskList"),
      run: (e) => e.chain().focus().toggleTaskList().run(),
    },
    {
      label: "Quote",
      text: "❝",
      shortcut: "Mod-Shift-B",
      active: (e) => e.isActive("blockquote"),
      run: (e) => e.chain().focus().toggleBlockquote().run(),
    },
    {
      label: "Code block",
      text: "{ }",
      shortcut: "Mod-Alt-C",
      active: (e) => e.isActive("codeBlock"),
      run: (e) => e.chain().focus().toggleCodeBlock().run(),
    },
    { label: "Divider", text: "―", run: (e) => e.chain().focus().setHorizontalRule().run() },
    {
      label: "Table",
      text: "▦",
      run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
      enabled: (e) => e.can().insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
    },
    { label: "Image", text: ImageIcon, run: (e) => chooseImageFile(e) },
  ],
];

const mac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const keys = (s: string) => s.replace("Mod", mac ? "⌘" : "Ctrl").replace(/-/g, "+");

export function Toolbar({ editor, disabled, onAi }: { editor: Editor; disabled: boolean; onAi?: () => void }) {
  // Re-render only when what the buttons show changes.
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      GROUPS.flat()
        .map((b) => `${b.active?.(e) ? 1 : 0}${b.enabled ? (b.enabled(e) ? 1 : 0) : 1}`)
        .join(""),
  });
  let i = 0;
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {GROUPS.map((group) => (
        <div className="toolbar-group" key={group.map((b) => b.label).join()}>
          {group.map((b) => {
            const flags = state.slice(i * 2, i * 2 + 2);
            i += 1;
            return (
              <button
                key={b.label}
                type="button"
                aria-label={b.label}
                title={b.shortcut ? `${b.label} (${keys(b.shortcut)})` : b.label}
                aria-pressed={b.active ? flags[0] === "1" : undefined}
                disabled={disabled || flags[1] !== "1"}
                onMouseDown={(ev) => ev.preventDefault()}
                onClick={() => b.run(editor)}
              >
                {b.text}
              </button>
            );
          })}
        </div>
      ))}
      {onAi && (
        <div className="toolbar-group">
          <button
            type="button"
            aria-label="AI assist"
            title={`AI assist (${keys("Mod-J")})`}
            onMouseDown={(ev) => ev.preventDefault()}
            onClick={onAi}
          >
            ✦ AI
          </button>
        </div>
      )}
    </div>
  );
}
