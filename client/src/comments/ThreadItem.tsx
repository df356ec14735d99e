/**
 * One thread in the comments panel: its quote (live from the editor, so "detached"
 * shows at once), its first and newest comments with the rest behind "Show more"
 * (read a page at a time), a reply box, Resolve/Reopen, and Delete for whoever may.
 */
import { useEffect, useState } from "react";
import type { Comment, Thread } from "../../../shared/comments";
import { getThread } from "../lib/api";
import { CommentItem } from "./CommentItem";

export interface ThreadActions {
  reply(body: string): Promise<boolean>;
  setStatus(status: "open" | "resolved"): Promise<boolean>;
  deleteThread(): Promise<boolean>;
  editComment(c: Comment, body: string): Promise<boolean>;
  deleteComment(c: Comment): Promise<boolean>;
}

interface Props {
  docId: string;
  token: string;
  thread: Thread;
  /** What the anchor covers in the editor now; undefined when the text is gone. */
  liveQuote: string | undefined;
  /** Whether anchors could be read at all (an editor exists). */
  live: boolean;
  canComment: boolean;
  /** Whether "@AI" asks the AI here (the owner may turn AI off). */
  aiOn: boolean;
  owner: boolean;
  me: string | null;
  actions: ThreadActions;
}

export function ThreadItem({ docId, token, thread: t, liveQuote, live, canComment, aiOn, owner, me, actions }: Props) {
  const [all, setAll] = useState<Comment[] | null>(null);
  const [expanded, setExpanded] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const detached = t.status !== "resolved" && (live ? liveQuote === undefined : t.status === "detached");
  const quote = liveQuote ?? t.quote;

  // An opened thread re-reads its comments whenever it changes.
  useEffect(() => {
    if (!expanded || t.changed < 0) return;
    let current = true;
    (async () => {
      const out: Comment[] = [];
      let next: string | undefined;
      do {
        const page = await getThread(docId, token, t.id, next);
        out.push(...page.comments);
        next = page.next ?? undefined;
      } while (next !== undefined && current);
      if (current) setAll(out);
    })().catch(() => {
      if (current) setExpanded(false);
    });
    return () => {
      current = false;
    };
  }, [expanded, docId, token, t.id, t.changed]);

  const shown = all ?? t.comments;
  const hidden = all ? 0 : t.commentCount - t.comments.length;
  const mine = (c: Comment) => me !== null && c.kind === "person" && c.authorId === me;
  const everyoneMine = shown.length === t.commentCount && shown.every(mine);
  const status = detached ? "detached" : t.status;

  return (
    <li className={`thread thread-${status}`} data-thread-id={t.id} aria-label={`Thread on “${quote}”`}>
      <blockquote className="thread-quote">{quote}</blockquote>
      {detached && <p className="hint thread-detached-note">The commented text was removed.</p>}
      <ul className="comment-list">
        {shown.map((c, i) => (
          <CommentItem
            key={c.id}
            comment={c}
            own={canComment && mine(c)}
            mayDelete={canComment && (owner || mine(c))}
            onEdit={(body) => actions.editComment(c, body)}
            onDelete={() => actions.deleteComment(c)}
            after={
              i === 0 && hidden > 0 ? (
                <li className="comment-more">
                  <button type="button" className="link-button" onClick={() => setExpanded(true)} disabled={expanded}>
                    {expanded ? "Loading…" : `Show ${hidden} more ${hidden === 1 ? "reply" : "replies"}`}
                  </button>
                </li>
              ) : null
            }
          />
        ))}
      </ul>
      {canComment && <ReplyBox aiOn={aiOn} onSubmit={actions.reply} />}
      {canComment && (
        <div className="thread-actions">
          <button type="button" className="button" onClick={() => void actions.setStatus(t.status === "resolved" ? "open" : "resolved")}>
            {t.status === "resolved" ? "Reopen" : "Resolve"}
          </button>
          {(owner || everyoneMine) &&
            (confirming ? (
              <span className="thread-confirm">
                <span className="hint">
                  Delete it and its {t.commentCount} {t.commentCount === 1 ? "comment" : "comments"}?
                </span>
                <button type="button" className="button danger" onClick={() => void actions.deleteThread()}>
                  Delete thread
                </button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>
                  Keep
                </button>
              </span>
            ) : (
              <button type="button" className="button" onClick={() => setConfirming(true)}>
                Delete…
              </button>
            ))}
        </div>
      )}
    </li>
  );
}

function ReplyBox({ onSubmit, aiOn }: { onSubmit: (body: string) => Promise<boolean>; aiOn: boolean }) {
  const [body, setBody] = useState("");
  return (
    <form
      className="reply-box"
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim()) void onSubmit(body).then((ok) => ok && setBody(""));
      }}
    >
      <input
        aria-label="Reply"
        placeholder={aiOn ? "Reply… (@AI asks the AI)" : "Reply…"}
        value={body}
        onChange={(e) => setBody(e.target.value)}
      />
      <button type="submit" className="button" disabled={!body.trim()}>
        Reply
      </button>
    </form>
  );
}
