import { getMarkRange, type Editor } from "@tiptap/core";
import { useEffect, useState } from "react";
import "./links.css";
import { LinkBubble } from "./LinkBubble";
import { LinkPopover } from "./LinkPopover";
import { LINK_OPEN_EVENT } from "./link-shortcut";

interface Range {
  from: number;
  to: number;
}
interface At {
  left: number;
  top: number;
}

/** Where to put a small box under `pos`, in the editor shell's coordinates. */
function below(editor: Editor, pos: number): At {
  const shell = editor.view.dom.closest(".editor-shell") ?? editor.view.dom;
  const box = shell.getBoundingClientRect();
  const c = editor.view.coordsAtPos(pos);
  return { left: Math.max(0, Math.min(c.left - box.left, box.width - 320)), top: c.bottom - box.top + 6 };
}

/** The link mark's extent and target around `pos`, if there is one. */
function linkAround(editor: Editor, pos: number): (Range & { href: string }) | null {
  const type = editor.schema.marks.link;
  if (!type) return null;
  const $pos = editor.state.doc.resolve(pos);
  const range = getMarkRange($pos, type) ?? (pos > 0 ? getMarkRange(editor.state.doc.resolve(pos - 1), type) : undefined);
  if (!range) return null;
  const mark = editor.state.doc.nodeAt(range.from)?.marks.find((m) => m.type === type);
  const href = mark?.attrs.href;
  return typeof href === "string" ? { ...range, href } : null;
}

/** Links: Ctrl/Cmd+K (or the toolbar button) edits the link on the selection; a link
 * in the text shows where it goes, with Open, Edit and Remove. Nothing here touches the
 * document until Apply or Remove. */
export function LinkTools({ editor, editable }: { editor: Editor; editable: boolean }) {
  const [bubble, setBubble] = useState<(Range & At & { href: string }) | null>(null);
  const [form, setForm] = useState<(Range & At & { initial: string; existing: boolean }) | null>(null);

  useEffect(() => {
    if (!editable) return;
    const open = () => {
      const { from, to, empty } = editor.state.selection;
      const link = linkAround(editor, from);
      const range = link && (empty || (from >= link.from && to <= link.to)) ? link : { from, to };
      setBubble(null);
      setForm({ ...range, ...below(editor, range.to), initial: link && range === link ? link.href : "", existing: range === link });
    };
    const dom = editor.view.dom;
    dom.addEventListener(LINK_OPEN_EVENT, open);
    return () => dom.removeEventListener(LINK_OPEN_EVENT, open);
  }, [editor, editable]);

  useEffect(() => {
    const show = (pos: number) => {
      const link = linkAround(editor, pos);
      setBubble(link ? { ...link, ...below(editor, link.to) } : null);
    };
    // Editors: whenever the caret rests in a link (by click or by keyboard).
    const onSelection = () => {
      const { from, empty } = editor.state.selection;
      if (editable && empty) show(from);
      else setBubble(null);
    };
    // Everyone: a click on a link shows the bubble instead of navigating away.
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement).closest?.("a[href]");
      if (!a || !editor.view.dom.contains(a)) {
        if (!editable) setBubble(null);
        return;
      }
      e.preventDefault();
      show(editor.view.posAtDOM(a, 0));
    };
    const dom = editor.view.dom;
    editor.on("selectionUpdate", onSelection);
    dom.addEventListener("click", onClick);
    return () => {
      editor.off("selectionUpdate", onSelection);
      dom.removeEventListener("click", onClick);
    };
  }, [editor, editable]);

  const apply = (range: Range, href: string) => {
    if (range.from === range.to) {
      editor
        .chain()
        .focus()
        .insertContentAt(range.from, { type: "text", text: href, marks: [{ type: "link", attrs: { href } }] })
        .run();
    } else {
      editor.chain().focus().setTextSelection(range).setLink({ href }).setTextSelection(range.to).run();
    }
    setForm(null);
  };
  const remove = (range: Range) => {
    editor.chain().focus().setTextSelection(range).unsetLink().setTextSelection(range.to).run();
    setForm(null);
    setBubble(null);
  };

  if (form) {
    return (
      <LinkPopover
        initial={form.initial}
        existing={form.existing}
        position={{ left: form.left, top: form.top }}
        onApply={(href) => apply(form, href)}
        onRemove={() => remove(form)}
        onClose={() => {
          setForm(null);
          editor.commands.focus();
        }}
      />
    );
  }
  if (!bubble) return null;
  return (
    <LinkBubble
      href={bubble.href}
      position={{ left: bubble.left, top: bubble.top }}
      onEdit={
        editable
          ? () => {
              setForm({ ...bubble, initial: bubble.href, existing: true });
              setBubble(null);
            }
          : undefined
      }
      onRemove={editable ? () => remove(bubble) : undefined}
    />
  );
}
