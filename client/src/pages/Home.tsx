import { useState } from "react";
import { createDocument } from "../lib/api";
import { rememberDoc, saveDocTokens } from "../lib/storage";
import { ImportMarkdown } from "../sharing/ImportMarkdown";
import { markOwnerLinkPending } from "../sharing/owner-link";
import { RecentList } from "../sharing/RecentList";
import "./home.css";

export function Home({ navigate }: { navigate: (path: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

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
      <RecentList navigate={navigate} />
    </div>
  );
}
