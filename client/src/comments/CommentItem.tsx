/**
 * One comment: who wrote it (the AI's answers are styled by their kind, never by the
 * name, which a person cannot take), its text (an AI answer's Markdown rendered safely,
 * a person's text as written), and Edit / Delete for whoever may.
 */
import { type ReactNode, useState } from "react";
import type { Comment } from "../../../shared/comments";
import { renderMarkdown } from "./comment-markdown";

interface Props {
  comment: Comment;
  own: boolean;
  mayDelete: boolean;
  onEdit: (body: string) => Promise<boolean>;
  onDelete: () => Promise<boolean>;
  /** Shown right after this comment (the "Show more" row). */
  after?: ReactNode;
}

export function CommentItem({ comment: c, own, mayDelete, onEdit, onDelete, after }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const ai = c.kind === "ai";
  return (
    <>
      <li className={`comment comment-${c.kind}`}>
        <div className="comment-meta">
          {ai && (
            <span className="ai-badge" aria-hidden="true">
              ✦
            </span>
          )}
          <span className="comment-author">{ai ? "AI" : c.author}</span>
          {ai && <span className="visually-hidden"> (answer from the AI)</span>}
          {c.editedAt !== null && <span className="hint"> (edited)</span>}
        </div>
        {draft === null ? (
          <div className="comment-body">{ai ? <Markdown text={c.body} /> : c.body}</div>
        ) : (
          <form
            className="comment-edit"
            onSubmit={(e) => {
              e.preventDefault();
              if (draft.trim()) void onEdit(draft).then((ok) => ok && setDraft(null));
            }}
          >
            <textarea aria-label="Edit comment" value={draft} rows={2} onChange={(e) => setDraft(e.target.value)} />
            <div className="comment-own">
              <button type="button" className="link-button" onClick={() => setDraft(null)}>
                Cancel
              </button>
              <button type="submit" className="link-button" disabled={!draft.trim()}>
                Save
              </button>
            </div>
          </form>
        )}
        {draft === null && (own || mayDelete) && (
          <div className="comment-own">
            {own && (
              <button type="button" className="link-button" aria-label="Edit comment" onClick={() => setDraft(c.body)}>
                Edit
              </button>
            )}
            {mayDelete && (
              <button
                type="button"
                className="link-button"
                aria-label={own ? "Delete comment" : `Delete comment by ${c.author}`}
                onClick={() => void onDelete()}
              >
                Delete
              </button>
            )}
          </div>
        )}
      </li>
      {after}
    </>
  );
}

/** The Markdown reader comes with the panel (itself loaded on demand), never with the
 * page; whatever the answer holds, a failure shows it as plain text. */
function Markdown({ text }: { text: string }) {
  try {
    return <div className="comment-markdown">{renderMarkdown(text)}</div>;
  } catch {
    return <>{text}</>;
  }
}
