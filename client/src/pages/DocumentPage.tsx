import type { Editor as TiptapEditor } from "@tiptap/core";
import { useEffect, useMemo, useState } from "react";
import type { Role } from "../../../shared/protocol";
import { FATAL_MESSAGES, type DocSession } from "../collab/session";
import { StatusBadge } from "../collab/StatusBadge";
import { useDocSession, useSessionState } from "../collab/useDocSession";
import { displayTitle, useTitle } from "../collab/useTitle";
import { Editor } from "../editor/Editor";
import { HistoryLayout } from "../history/HistoryLayout";
import { loadIdentity, saveName, type Identity } from "../lib/identity";
import { docTokens, rememberDoc, takeTokenFromFragment, updateRecentTitle } from "../lib/storage";
import { trackActivity } from "../presence/activity";
import { Avatars, TypingLine } from "../presence/Avatars";
import { usePeers } from "../presence/usePeers";
import { ErrorView } from "./ErrorView";
import { ShareMenu } from "./ShareMenu";

export function DocumentPage({ id }: { id: string }) {
  const access = useMemo(() => {
    takeTokenFromFragment(id);
    const tokens = docTokens(id);
    if (tokens.edit) return { token: tokens.edit, role: "editor" as Role };
    if (tokens.view) return { token: tokens.view, role: "viewer" as Role };
    return null;
  }, [id]);

  if (!access) {
    return (
      <ErrorView
        title="You need a link to open this document"
        body="Documents open through their share link (it ends in #edit=… or #view=…). Ask the person who shared it for the link."
      />
    );
  }
  return <OpenDocument id={id} token={access.token} role={access.role} />;
}

function OpenDocument({ id, token, role }: { id: string; token: string; role: Role }) {
  const session = useDocSession(id, token, role);
  if (!session) return <div className="loading">Opening document…</div>;
  return <SessionView session={session} />;
}

function SessionView({ session }: { session: DocSession }) {
  const state = useSessionState(session);
  const [identity, setIdentity] = useState<Identity>(loadIdentity);
  const [title, setTitle] = useTitle(session.doc);
  const peers = usePeers(session.provider.awareness);
  const readOnly = state.role === "viewer";
  const [editor, setEditor] = useState<TiptapEditor | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const shown = displayTitle(title);

  useEffect(() => {
    document.title = `${shown} · Quire`;
    if (state.synced) {
      rememberDoc({ id: session.id, title: shown, role: state.role ?? "viewer" });
    }
  }, [shown, state.synced, state.role, session.id]);

  useEffect(() => updateRecentTitle(session.id, shown), [session.id, shown]);

  useEffect(
    () => trackActivity(session.provider.awareness, session.doc, (origin) => origin !== session.provider),
    [session],
  );

  if (state.fatal) {
    const msg = FATAL_MESSAGES[state.fatal.code] ?? {
      title: "This document cannot be opened",
      body: state.fatal.reason || "The server refused the connection.",
    };
    return <ErrorView title={msg.title} body={msg.body} />;
  }

  return (
    <div className="doc-page">
      <header className="doc-header">
        <a className="brand" href="/" aria-label="Quire home">
          Q
        </a>
        <input
          className="title-input"
          aria-label="Document title"
          value={title}
          placeholder="Untitled document"
          readOnly={readOnly}
          onChange={(e) => setTitle(e.target.value)}
        />
        {readOnly && <span className="badge badge-view">View only</span>}
        <StatusBadge status={state.status} />
        <div className="header-spacer" />
        <Avatars peers={peers} />
        <button type="button" className="button" aria-expanded={historyOpen} onClick={() => setHistoryOpen(!historyOpen)}>
          History
        </button>
        <NameField identity={identity} onChange={setIdentity} />
        <ShareMenu id={session.id} />
      </header>
      <TypingLine peers={peers} />
      {state.lastError && (
        <div className="notice" role="alert">
          {state.lastError}
        </div>
      )}
      {!state.synced && session.doc.getXmlFragment("default").length === 0 ? (
        <div className="loading">Loading document…</div>
      ) : null}
      <main className="doc-main" hidden={!state.synced && session.doc.getXmlFragment("default").length === 0}>
        <HistoryLayout docId={session.id} role={state.role ?? "viewer"} editor={editor} open={historyOpen} onClose={() => setHistoryOpen(false)}>
          <Editor session={session} identity={identity} readOnly={readOnly} onEditor={setEditor} />
        </HistoryLayout>
      </main>
    </div>
  );
}

function NameField({ identity, onChange }: { identity: Identity; onChange: (i: Identity) => void }) {
  const [draft, setDraft] = useState(identity.name);
  const commit = () => {
    const name = saveName(draft);
    setDraft(name);
    if (name !== identity.name) onChange({ ...identity, name });
  };
  return (
    <label className="name-field">
      <span className="visually-hidden">Your name</span>
      <input
        aria-label="Your name"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") (e.target as HTMLInputElement).blur();
        }}
        style={{ borderColor: identity.color }}
      />
    </label>
  );
}
