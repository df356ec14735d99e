import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";

interface Action {
  label: string;
  text: string;
  run: (e: Editor) => boolean;
}

const ACTIONS: Action[][] = [
  [
    { label: "Add row above", text: "↑ Row", run: (e) => e.chain().focus().addRowBefore().run() },
    { label: "Add row below", text: "↓ Row", run: (e) => e.chain().focus().addRowAfter().run() },
    { label: "Delete row", text: "− Row", run: (e) => e.chain().focus().deleteRow().run() },
  ],
  [
    { label: "Add column left", text: "← Col", run: (e) => e.chain().focus().addColumnBefore().run() },
    { label: "Add column right", text: "→ Col", run: (e) => e.chain().focus().addColumnAfter().run() },
    { label: "Delete column", text: "− Col", run: (e) => e.chain().focus().deleteColumn().run() },
  ],
  [
    { label: "Toggle header row", text: "Header", run: (e) => e.chain().focus().toggleHeaderRow().run() },
    { label: "Delete table", text: "Delete table", run: (e) => e.chain().focus().deleteTable().run() },
  ],
];

/** The table's own toolbar, shown only while the selection is in a table. Tab and
 * Shift+Tab move between cells (Tab in the last cell adds a row): Tiptap's table keymap. */
export function TableTools({ editor }: { editor: Editor }) {
  const inTable = useEditorState({ editor, selector: ({ editor: e }) => e.isActive("table") });
  if (!inTable) return null;
  return (
    <div className="toolbar table-tools" role="toolbar" aria-label="Table">
      {ACTIONS.map((group) => (
        <div className="toolbar-group" key={group[0]!.label}>
          {group.map((a) => (
            <button
              key={a.label}
              type="button"
              aria-label={a.label}
              title={a.label}
              className={a.label === "Delete table" ? "danger-text" : undefined}
              onMouseDown={(ev) => ev.preventDefault()}
              onClick={() => a.run(editor)}
            >
              {a.text}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
