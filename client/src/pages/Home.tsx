import { useState } from "react";
import { createDocument } from "../lib/api";
import { forgetDoc, recentDocs, rememberDoc, saveDocTokens, type RecentDoc } from "../lib/storage";
import { ImportMarkdown } from "../sharing/ImportMarkdown";
import { markOwnerLinkPending } from "../sharing/owner-link";
import { useRecentStatus, type RecentStatus } from "../sharing/useRecentStatus";
import "./home.css";

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

export function Home({ navigate }: { navigate: (path: string) => void }) {
  const [docs, setDocs] = useState<RecentDoc[]>(recentDocs);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const status = useRecentStatus(docs);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const doc = await createDocument();
      saveDocTokens(doc.id, { owner: doc.ownerToken, edit: doc.editToken, comment: doc.commentToken, view: doc.viewToken });
      rememberDoc({ id: doc.id, title: doc.title, role: "owner" });
      markOwnerLinkPending(doc.id);
      navigate(`/d/${doc.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Could not create a document");
      setBusy(false);
    }
  };

  return (
    <div className="home">
      <header className="home-header">
        <span className="brand" aria-hidden="true">
          Q
        </span>
        <h1>Quire</h1>
      </header>
      <section className="home-actions">
        <button type="button" className="button primary big" onClick={() => void create()} disabled={busy}>
          {busy ? "Creating…" : "New document"}
        </button>
        <ImportMarkdown navigate={navigate} />
        {error && (
          <p className="notice" role="alert">
            {error}
          </p>
        )}
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent documents</h2>
        {docs.length === 0 ? (
          <p className="empty">No documents yet. Create one, or open a link someone shared with you.</p>
        ) : (
          <ul className="recent" aria-label="Recent documents">
            {docs.map((d) => {
              const st = status[d.id];
              const live = st?.kind === "ok" ? st : null;
              const gone = st ? GONE_LABEL[st.kind] : undefined;
              const title = live?.title ?? d.title;
              const role = live?.role ?? d.role;
              return (
                <li key={d.id} className={gone ? "gone" : undefined}>
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
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove ${d.title} from this list`}
                    onClick={() => {
                      forgetDoc(d.id);
                      setDocs(recentDocs());
                    }}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
