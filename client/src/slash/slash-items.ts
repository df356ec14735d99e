import type { Editor, Range } from "@tiptap/core";
import { chooseImageFile } from "../images";

export interface SlashItem {
  title: string;
  /** Other words people type for it. */
  keywords: string;
  run: (editor: Editor, range: Range) => void;
}

const block = (title: string, keywords: string, apply: (e: ReturnType<Editor["chain"]>) => ReturnType<Editor["chain"]>): SlashItem => ({
  title,
  keywords,
  run: (editor, range) => {
    apply(editor.chain().focus().deleteRange(range)).run();
  },
});

export const SLASH_ITEMS: SlashItem[] = [
  block("Text", "paragraph plain p", (c) => c.setParagraph()),
  block("Heading 1", "h1 title big", (c) => c.setNode("heading", { level: 1 })),
  block("Heading 2", "h2 subtitle", (c) => c.setNode("heading", { level: 2 })),
  block("Heading 3", "h3", (c) => c.setNode("heading", { level: 3 })),
  block("Bullet list", "ul unordered points", (c) => c.toggleBulletList()),
  block("Numbered list", "ol ordered 1.", (c) => c.toggleOrderedList()),
  block("Task list", "todo checkbox check", (c) => c.toggleTaskList()),
  block("Quote", "blockquote citation", (c) => c.toggleBlockquote()),
  block("Code block", "pre snippet program", (c) => c.setCodeBlock()),
  block("Table", "grid rows columns", (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true })),
  block("Divider", "hr horizontal rule line separator", (c) => c.setHorizontalRule()),
  {
    title: "Image",
    keywords: "picture photo upload",
    run: (editor, range) => {
      editor.chain().focus().deleteRange(range).run();
      chooseImageFile(editor);
    },
  },
];

/** Items whose title or keywords start with (or, for longer queries, contain) the query. */
export function filterItems(query: string): SlashItem[] {
  const q = query.trim().toLowerCase();
  if (q === "") return SLASH_ITEMS;
  const words = (i: SlashItem) => `${i.title} ${i.keywords}`.toLowerCase().split(/\s+/);
  const starts = SLASH_ITEMS.filter((i) => words(i).some((w) => w.startsWith(q)) || i.title.toLowerCase().startsWith(q));
  return starts.length > 0 || q.length < 3 ? starts : SLASH_ITEMS.filter((i) => `${i.title} ${i.keywords}`.toLowerCase().includes(q));
}
