/**
 * The home page's list of this browser's documents: the title and role as the server has
 * them now (checked on every visit, kept current whenever a document is opened), when it
 * was last opened here, what became of it (deleted elsewhere, its link no longer works,
 * or not checked: offline), and per document Remove from this list (with Undo) and, for
 * the owner, Delete for everyone (with a confirmation).
 */
import { useState } from "react";
import { bestToken, forgetDoc, forgetDocTokens, recentDocs, rememberDoc, type RecentDoc } from "../lib/storage";
import { DeleteConfirm } from "./DeleteSection";
import { type RecentStatus, useRecentStatus } from "./useRecentStatus";
import "./sharing.css";

const ROLE_LABEL = { owner: "Owner", editor: "Can edit", commenter: "Can comment", viewer: "View only" } as const;
const GONE_LABEL: Partial<Record<RecentStatus["kind"], string>> = {
  deleted: "Deleted",
  revoked: "Link no longer works",
};

function when(ts: number): string {
  const diff = Date.now() - ts;
  if (diff < 60_000) return "just now";
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.floor(diff / 3_600_000)} h ago`;
  return new Date(ts).toLocaleDateString();
}

type Notice = { text: string; undo?: RecentDoc };

export function RecentList({ navigate }: { navigate: (path: string) => void }) {
  const [docs, setDocs] = useState<RecentDoc[]>(recentDocs);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const status = useRecentStatus(docs);
  const checking = docs.some((d) => !status[d.id]);
  const unchecked = docs.some((d) => status[d.id]?.kind === "unknown");

  const reload = () => setDocs(recentDocs());
  const remove = (doc: RecentDoc, title: string) => {
    forgetDoc(doc.id);
    reload();
    setNotice({ text: `Removed “${title}” from this list.`, undo: doc });
  };
  const deleted = (doc: RecentDoc, title: string) => {
    forgetDoc(doc.id);
    forgetDocTokens(doc.id);
    setDeleting(null);
    reload();
    setNotice({ text: `“${title}” was deleted for everyone.` });
  };

  return (
    <section aria-labelledby="recent-heading" aria-busy={checking}>
      <h2 id="recent-heading">Your documents</h2>
      {notice && (
        <p className="success recent-notice" role="status">
          {notice.text}
          {notice.undo && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                rememberDoc(notice.undo!);
                reload();
                setNotice(null);
              }}
            >
              Undo
            </button>
          )}
        </p>
      )}
      {docs.length === 0 ? (
        <p className="empty">No documents yet. Create one, or open a link someone shared with you: it will be listed here.</p>
      ) : (
        <>
          {checking && <p className="hint recent-checking">Checking your documents…</p>}
          {!checking && unchecked && (
            <p className="hint recent-checking">Some documents could not be checked (offline?): their titles may be out of date.</p>
          )}
          <ul className="recent" aria-label="Recent documents">
            {docs.map((d) => {
              const st = status[d.id];
              const live = st?.kind === "ok" ? st : null;
              const gone = st ? GONE_LABEL[st.kind] : undefined;
              const title = live?.title ?? d.title;
              const role = live?.role ?? d.role;
              const ownerToken = role === "owner" && !gone ? bestToken(d.id) : null;
              return (
                <li key={d.id} className={gone ? "gone" : undefined}>
                  <div className="recent-row">
                    <a
                      href={`/d/${d.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`/d/${d.id}`);
                      }}
                    >
                      <span className="recent-title">
                        {title}
                        {gone && <span className="badge badge-gone">{gone}</span>}
                      </span>
                      <span className="recent-meta">
                        {ROLE_LABEL[role] ?? role} · opened {when(d.lastOpened)}
                      </span>
                    </a>
                    <span className="recent-actions">
                      {ownerToken?.role === "owner" && (
                        <button
                          type="button"
                          className="link-button danger-link"
                          aria-label={`Delete ${title}`}
                          aria-expanded={deleting === d.id}
                          onClick={() => setDeleting(deleting === d.id ? null : d.id)}
                        >
                          Delete
                        </button>
                      )}
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`Remove ${title} from this list`}
                        onClick={() => remove(d, title)}
                      >
                        Remove
                      </button>
                    </span>
                  </div>
                  {deleting === d.id && ownerToken && (
                    <DeleteConfirm
                      id={d.id}
                      token={ownerToken.token}
                      title={title}
                      onCancel={() => setDeleting(null)}
                      onDeleted={() => deleted(d, title)}
                    />
                  )}
                </li>
              );
            })}
          </ul>
          <p className="hint">Removing a document only takes it off this list; this browser keeps its link.</p>
        </>
      )}
    </section>
  );
}
