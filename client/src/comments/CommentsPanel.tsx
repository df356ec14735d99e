/**
 * The comments side panel: threads with Open / Resolved tabs, replies, resolve and
 * reopen, edit of one's own comments, delete of one's own (or, for the owner, any)
 * comments and threads. New threads come from the selected text (the Comment button
 * or Mod-Alt-M), anchored by the server (docs/COMMENTS.md). Whether a thread's text is
 * still there is read live from the editor (useAnchors).
 */
import type { Editor } from "@tiptap/core";
import { useEffect, useState } from "react";
import type { Comment, Thread } from "../../../shared/comments";
import { ApiError, createThread, deleteComment, deleteThread, editComment, replyToThread, setThreadStatus } from "../lib/api";
import { ThreadItem, type ThreadActions } from "./ThreadItem";
import { authorKey, myAuthorId } from "./author-key";
import { useAnchors } from "./useAnchors";
import "./comments.css";

type Filter = "open" | "resolved";

interface Props {
  docId: string;
  token: string;
  threads: Thread[];
  /** For the anchors as they are now (null before the editor exists). */
  editor: Editor | null;
  canComment: boolean;
  /** "@AI" asks the AI (false while the owner has AI off: the hint is not shown). */
  aiOn: boolean;
  /** The owner may delete any comment and thread. */
  owner: boolean;
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
  const anchors = useAnchors(p.editor);
  useEffect(() => {
    void myAuthorId().then(setMe);
  }, []);

  /** Runs a change; the panel re-reads what changed. False (and a message) if refused. */
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await action();
      p.onChanged();
      return true;
    } catch (err) {
      setError(explain(err));
      return false;
    }
  };
  const who = { author: p.author, authorKey: authorKey(), ...(p.connectionId ? { connectionId: p.connectionId } : {}) };
  const isResolved = (t: Thread) => t.status === "resolved";
  const shown = p.threads.filter((t) => (filter === "resolved") === isResolved(t));
  const count = (f: Filter) => p.threads.filter((t) => (f === "resolved") === isResolved(t)).length;
  const actionsFor = (t: Thread): ThreadActions => ({
    reply: (body) => run(() => replyToThread(p.docId, p.token, t.id, { body, ...who })),
    setStatus: (status) => run(() => setThreadStatus(p.docId, p.token, t.id, status)),
    deleteThread: () => run(() => deleteThread(p.docId, p.token, t.id, authorKey())),
    editComment: (c: Comment, body) => run(() => editComment(p.docId, p.token, t.id, c.id, body, authorKey())),
    deleteComment: (c: Comment) => run(() => deleteComment(p.docId, p.token, t.id, c.id, authorKey())),
  });

  return (
    <aside className="comments-panel" aria-label="Comments">
      <div className="comments-head">
        <h2>Comments</h2>
        <button type="button" className="icon-button" onClick={p.onClose} aria-label="Close comments">
          ×
        </button>
      </div>
      <div className="comments-tabs" role="tablist" aria-label="Which comments">
        {(["open", "resolved"] as const).map((f) => (
          <button key={f} type="button" role="tab" aria-selected={filter === f} className="comments-tab" onClick={() => setFilter(f)}>
            {f === "open" ? "Open" : "Resolved"} <span className="comments-tab-count">({count(f)})</span>
          </button>
        ))}
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
          <ThreadItem
            key={t.id}
            docId={p.docId}
            token={p.token}
            thread={t}
            liveQuote={anchors?.get(t.id)}
            live={anchors !== null}
            canComment={p.canComment}
            aiOn={p.aiOn}
            owner={p.owner}
            me={me}
            actions={actionsFor(t)}
          />
        ))}
      </ul>
    </aside>
  );
}

function NewThread({ quote, onSubmit, onCancel }: { quote: string; onSubmit: (body: string) => Promise<boolean>; onCancel: () => void }) {
  const [body, setBody] = useState("");
  return (
    <form
      className="new-thread"
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim()) void onSubmit(body);
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

function explain(err: unknown): string {
  if (err instanceof ApiError && err.code === "quote-not-found") return "Select text inside one paragraph to comment on it.";
  if (err instanceof ApiError && err.status === 403 && (err.code === "not-yours" || err.code === "ai-off")) return err.message;
  if (err instanceof ApiError && err.status === 403) return "This link cannot do that.";
  return err instanceof Error ? err.message : "Something went wrong";
}
