import type { Editor } from "@tiptap/core";
import { TextSelection } from "@tiptap/pm/state";
import { useDocValue } from "../editor/useDocValue";
import "./outline.css";
import { type Heading, headingsOf } from "./headings";

const REFRESH_DELAY_MS = 300;

/** The headings as a table of contents. Read-only: a click moves this reader's view
 * (and caret) to the heading; nothing is written to the document. */
export default function Outline({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const headings = useDocValue(editor, headingsOf, REFRESH_DELAY_MS);

  const jump = (h: Heading) => {
    const { view } = editor;
    const dom = view.nodeDOM(h.pos);
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: "start", behavior: "smooth" });
    // A selection change is local (presence at most), never a document change.
    const inside = Math.min(h.pos + 1, view.state.doc.content.size);
    view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(inside))));
    view.focus();
  };

  return (
    <nav className="outline-panel" aria-label="Outline">
      <div className="outline-head">
        <strong>Outline</strong>
        <button type="button" className="icon-button" aria-label="Close outline" onClick={onClose}>
          ×
        </button>
      </div>
      {headings.length === 0 ? (
        <p className="hint">Headings you add appear here.</p>
      ) : (
        <ol>
          {headings.map((h) => (
            <li key={h.pos} className={`outline-h${h.level}`}>
              <button type="button" className="outline-item" onClick={() => jump(h)}>
                {h.text || "(empty heading)"}
              </button>
            </li>
          ))}
        </ol>
      )}
    </nav>
  );
}
