/**
 * The comments side panel: threads with open/resolved filters, replies, resolve and
 * reopen, edit and delete of one's own comments. New threads come from the selected
 * text (the Comment button or Mod-Alt-M), anchored by the server (docs/COMMENTS.md).
 */
import { useEffect, useState } from "react";
import type { Thread } from "../../../shared/comments";
import { ApiError, createThread, deleteComment, editComment, replyToThread, setThreadStatus } from "../lib/api";
import { authorKey, myAuthorId } from "./author-key";
import "./comments.css";

type Filter = "open" | "resolved";

interface Props {
  docId: string;
  token: string;
  threads: Thread[];
  canComment: boolean;
  author: string;
  connectionId: string | null;
  /** A new thread was asked for with this quote (null: nothing pending). */
  draftQuote: string | null;
  /** Which occurrence of the quote was selected (0 = the first in the document). */
  draftOccurrence: number;
  onDraftDone: () => void;
  onChanged: () => void;
  onClose: () => void;
}

export function CommentsPanel(p: Props) {
  const [filter, setFilter] = useState<Filter>("open");
  const [error, setError] = useState<string | null>(null);
  const [me, setMe] = useState<string | null>(null);
  useEffect(() => {
    void myAuthorId().then(setMe);
  }, []);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      p.onChanged();
    } catch (err) {
      setError(explain(err));
    }
  };
  const who = { author: p.author, authorKey: authorKey(), ...(p.connectionId ? { connectionId: p.connectionId } : {}) };
  const shown = p.threads.filter((t) => (filter === "resolved" ? t.status === "resolved" : t.status !== "resolved"));

  return (
    <aside className="comments-panel" aria-label="Comments">
      <div className="comments-head">
        <h2>Comments</h2>
        <div className="comments-filter" role="tablist">
          {(["open", "resolved"] as const).map((f) => (
            <button key={f} type="button" role="tab" aria-selected={filter === f} className="link-button" onClick={() => setFilter(f)}>
              {f === "open" ? "Open" : "Resolved"} (
              {p.threads.filter((t) => (f === "resolved" ? t.status === "resolved" : t.status !== "resolved")).length})
            </button>
          ))}
        </div>
        <button type="button" className="link-button" onClick={p.onClose} aria-label="Close comments">
          ×
        </button>
      </div>
      {p.draftQuote !== null && p.canComment && (
        <NewThread
          quote={p.draftQuote}
          onCancel={p.onDraftDone}
          onSubmit={(body) =>
            run(async () => {
              await createThread(p.docId, p.token, { quote: p.draftQuote!, occurrence: p.draftOccurrence, body, ...who });
              p.onDraftDone();
            })
          }
        />
      )}
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
      {shown.length === 0 && <p className="hint">{filter === "open" ? "No open comments." : "No resolved comments."}</p>}
      <ul className="thread-list">
        {shown.map((t) => (
          <li key={t.id} className={`thread thread-${t.status}`} data-thread-id={t.id} aria-label={`Thread on “${t.quote}”`}>
            <blockquote className="thread-quote">{t.quote}</blockquote>
            {t.status === "detached" && <p className="hint">The commented text was removed.</p>}
            <ul className="comment-list">
              {t.comments.map((c) => (
                <CommentItem
                  key={c.id}
                  author={c.author}
                  body={c.body}
                  edited={c.editedAt !== null}
                  own={p.canComment && me !== null && c.authorId === me}
                  onEdit={(body) => run(() => editComment(p.docId, p.token, t.id, c.id, body, authorKey()))}
                  onDelete={() => run(() => deleteComment(p.docId, p.token, t.id, c.id, authorKey()))}
                />
              ))}
            </ul>
            {p.canComment && (
              <div className="thread-actions">
                <ReplyBox onSubmit={(body) => run(() => replyToThread(p.docId, p.token, t.id, { body, ...who }))} />
                <button
                  type="button"
                  className="button"
                  onClick={() => run(() => setThreadStatus(p.docId, p.token, t.id, t.status === "resolved" ? "open" : "resolved"))}
                >
                  {t.status === "resolved" ? "Reopen" : "Resolve"}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}

function NewThread({ quote, onSubmit, onCancel }: { quote: string; onSubmit: (body: string) => void; onCancel: () => void }) {
  const [body, setBody] = useState("");
  return (
    <form
      className="new-thread"
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim()) onSubmit(body);
      }}
    >
      <blockquote className="thread-quote">{quote}</blockquote>
      {/* biome-ignore lint/a11y/noAutofocus: the comment box is what the user just asked for */}
      <textarea aria-label="New comment" value={body} onChange={(e) => setBody(e.target.value)} autoFocus rows={3} />
      <div className="modal-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={!body.trim()}>
          Add comment
        </button>
      </div>
    </form>
  );
}

function ReplyBox({ onSubmit }: { onSubmit: (body: string) => Promise<void> }) {
  const [body, setBody] = useState("");
  return (
    <form
      className="reply-box"
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim()) void onSubmit(body).then(() => setBody(""));
      }}
    >
      <input aria-label="Reply" placeholder="Reply…" value={body} onChange={(e) => setBody(e.target.value)} />
      <button type="submit" className="button" disabled={!body.trim()}>
        Reply
      </button>
    </form>
  );
}

interface ItemProps {
  author: string;
  body: string;
  edited: boolean;
  own: boolean;
  onEdit: (body: string) => Promise<void>;
  onDelete: () => Promise<void>;
}

function CommentItem({ author, body, edited, own, onEdit, onDelete }: ItemProps) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <li className="comment">
      <span className="comment-author">{author}</span>
      {draft === null ? (
        <p className="comment-body">
          {body}
          {edited && <span className="hint"> (edited)</span>}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) void onEdit(draft).then(() => setDraft(null));
          }}
        >
          <input aria-label="Edit comment" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="link-button">
            Save
          </button>
        </form>
      )}
      {own && draft === null && (
        <span className="comment-own">
          <button type="button" className="link-button" onClick={() => setDraft(body)}>
            Edit
          </button>
          <button type="button" className="link-button" onClick={() => void onDelete()}>
            Delete
          </button>
        </span>
      )}
    </li>
  );
}

function explain(err: unknown): string {
  if (err instanceof ApiError && err.code === "quote-not-found") return "Select text inside one paragraph to comment on it.";
  if (err instanceof ApiError && err.status === 403) return "This link cannot do that.";
  return err instanceof Error ? err.message : "Something went wrong";
}
