import type { Editor as TiptapEditor } from "@tiptap/core";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { CloseCode } from "../../../shared/close-codes";
import { canComment, canWrite, type Role } from "../../../shared/protocol";
import { useDebugHandle } from "../collab/debug-handle";
import { FATAL_MESSAGES, type DocSession } from "../collab/session";
import { StatusBadge } from "../collab/StatusBadge";
import { useDocSession, useSessionState } from "../collab/useDocSession";
import { displayTitle, useTitle } from "../collab/useTitle";
import "../comments/anchor.css";
import { useCommentDraft } from "../comments/useCommentDraft";
import { useThreads } from "../comments/useThreads";
import { Editor } from "../editor/Editor";
import { SuggestingToggle, SuggestionsPanel, useSuggestions } from "../suggestions/SuggestionsPanel";
import { ExportMenu } from "../export/ExportMenu";
import { HistoryLayout } from "../history/HistoryLayout";
import { loadIdentity, saveName, type Identity } from "../lib/identity";
import { linkNoLongerWorksForRole, noAccessMessage } from "../lib/link-messages";
import {
  bestToken,
  deadLink,
  forgetDoc,
  forgetDocToken,
  forgetDocTokens,
  rememberDoc,
  strongerUnverified,
  takeTokenFromFragment,
  unverifiedTokens,
  updateRecentTitle,
  type Access,
} from "../lib/storage";
import { verifyPending } from "../lib/token-check";
import { trackActivity } from "../presence/activity";
import { Avatars, TypingLine } from "../presence/Avatars";
import { usePeers } from "../presence/usePeers";

import { ownerLinkPending } from "../sharing/owner-link";

import { ShortcutsButton } from "../shortcuts/ShortcutsButton";
import { ThemeToggle } from "../theme/ThemeToggle";
import { ErrorView } from "./ErrorView";
// Eager although the dialogs are lazy: it also styles follow mode and the avatars' buttons.
import "../sharing/sharing.css";
import { useHeaderHeight } from "./header-height";

// Not needed to start typing: loaded when first opened.
const Outline = lazy(() => import("../outline/Outline"));
const CommentsPanel = lazy(() => import("../comments/CommentsPanel").then((m) => ({ default: m.CommentsPanel })));
const ShareDialog = lazy(() => import("../sharing/ShareDialog").then((m) => ({ default: m.ShareDialog })));
const OwnerLinkDialog = lazy(() => import("../sharing/OwnerLinkDialog").then((m) => ({ default: m.OwnerLinkDialog })));

const OTHER_LINK_LABEL: Record<Role, string> = {
  owner: "owner",
  editor: "can edit",
  commenter: "can comment",
  viewer: "view only",
};

export function DocumentPage({ id }: { id: string }) {
  const { access, recheck } = useAccess(id);

  if (access === undefined) return <div className="loading">Opening document…</div>;
  // No working token: say why the last link failed (refused, reset, deleted), also after a reload.
  if (!access) return <ErrorView {...noAccessMessage(deadLink(id))} />;
  // Tokens from a link opened offline are confirmed once the server can be reached.
  const pending = Object.keys(unverifiedTokens(id)).length > 0;
  return <OpenDocument key={access.token} id={id} token={access.token} role={access.role} onReachable={pending ? recheck : null} />;
}

/** The token to open the document with (undefined while a link's token is being
 * checked). A token from a link is used only once the server has confirmed it, unless
 * the browser has no confirmed token at all (a first visit while offline); a link that
 * may grant more than the stored token is checked before the page opens, any other in
 * the background. `recheck` checks unconfirmed tokens again (once the server is
 * reachable). A link pasted into the address bar while the document is open (say, the
 * new one after a reset) changes only the fragment, which does not reload the page:
 * pick it up from `hashchange`. */
function useAccess(id: string): { access: Access | null | undefined; recheck: () => void } {
  const [access, setAccess] = useState<Access | null | undefined>(() => {
    takeTokenFromFragment(id);
    return strongerUnverified(id).length > 0 ? undefined : bestToken(id);
  });
  const live = useRef(true);
  const recheck = useCallback(() => {
    void verifyPending(id).then(() => {
      if (live.current) setAccess(bestToken(id));
    });
  }, [id]);
  useEffect(() => {
    live.current = true;
    recheck();
    const onHash = () => {
      if (!takeTokenFromFragment(id)) return;
      if (strongerUnverified(id).length > 0) setAccess(undefined);
      recheck();
    };
    window.addEventListener("hashchange", onHash);
    return () => {
      live.current = false;
      window.removeEventListener("hashchange", onHash);
    };
  }, [id, recheck]);
  return { access, recheck };
}

interface OpenProps {
  id: string;
  token: string;
  role: Role;
  /** While tokens from a link wait to be confirmed: called once the socket has synced,
   * i.e. the server is reachable again, to confirm them. */
  onReachable: (() => void) | null;
}

function OpenDocument({ id, token, role, onReachable }: OpenProps) {
  const session = useDocSession(id, token, role);
  if (!session) return <div className="loading">Opening document…</div>;
  return <SessionView session={session} token={token} onReachable={onReachable} />;
}

/** Leaves the document page for the home page (the router listens to popstate). */
function goHome(): void {
  history.pushState(null, "", "/");
  window.dispatchEvent(new PopStateEvent("popstate"));
}

function SessionView({ session, token, onReachable }: { session: DocSession; token: string; onReachable: (() => void) | null }) {
  const state = useSessionState(session);
  useEffect(() => {
    if (state.synced && onReachable) onReachable();
  }, [state.synced, onReachable]);
  const [identity, setIdentity] = useState<Identity>(loadIdentity);
  const [title, setTitle] = useTitle(session.doc);
  const peers = usePeers(session.provider.awareness);
  useDebugHandle(session);
  // Before the server's welcome the role is unknown: editing offline stays possible.
  const readOnly = (state.role !== null && !canWrite(state.role)) || state.docReadOnly !== null;
  const [editor, setEditor] = useState<TiptapEditor | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [outlineOpen, setOutlineOpen] = useState(false);
  const shown = displayTitle(title);
  const [sharing, setSharing] = useState(false);
  const [ownerLink, setOwnerLink] = useState(() => state.role === "owner" && ownerLinkPending(session.id));
  const [following, setFollowing] = useState<number | null>(null);
  const stopFollowing = useCallback(() => setFollowing(null), []);
  const followed = peers.find((p) => p.clientId === following);
  const headerRef = useHeaderHeight();
  const { threads, refresh: refreshThreads } = useThreads(session.id, token, state.threadsSeq, state.synced);
  const mayComment = state.role !== null && canComment(state.role);
  const draft = useCommentDraft(editor, mayComment);
  const openThreads = threads.filter((t) => t.status !== "resolved").length;
  const suggestionList = useSuggestions(editor);
  // Show the editor once either the server or this device's copy has the content.
  const ready = state.synced || state.localReady;

  useEffect(() => {
    document.title = `${shown} · Quire`;
    if (state.synced) {
      rememberDoc({ id: session.id, title: shown, role: state.role ?? "viewer" });
    }
  }, [shown, state.synced, state.role, session.id]);

  useEffect(() => updateRecentTitle(session.id, shown), [session.id, shown]);

  useEffect(() => trackActivity(session.provider.awareness, session.doc, (origin) => origin !== session.provider), [session]);

  const fatal = state.fatal?.code ?? null;
  useEffect(() => {
    // A refused token is useless from now on (the next visit tries any other one).
    if (fatal === CloseCode.Forbidden) forgetDocToken(session.id, token);
  }, [fatal, session.id, token]);

  if (state.fatal) {
    const msg = (state.fatal.code === CloseCode.Forbidden ? linkNoLongerWorksForRole(state.role) : FATAL_MESSAGES[state.fatal.code]) ?? {
      title: "This document cannot be opened",
      body: state.fatal.reason || "The server refused the connection.",
    };
    const other = state.fatal.code === CloseCode.Forbidden ? bestToken(session.id) : null;
    return (
      <ErrorView title={msg.title} body={msg.body}>
        {other && other.token !== token && (
          <button type="button" className="button" onClick={() => location.reload()}>
            Open with your other link ({OTHER_LINK_LABEL[other.role]})
          </button>
        )}
      </ErrorView>
    );
  }

  return (
    <div className="doc-page">
      <header className="doc-header" ref={headerRef}>
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
        {state.role === "viewer" && <ViewOnlyBadge />}
        {state.role === "commenter" && <span className="badge badge-view">Can comment</span>}
        <StatusBadge status={state.status} />
        <div className="header-break" />
        <div className="header-spacer" />
        <Avatars peers={peers} following={following} onFollow={setFollowing} />
        <button type="button" className="button" aria-expanded={outlineOpen} onClick={() => setOutlineOpen(!outlineOpen)}>
          Outline
        </button>
        <ExportMenu docId={session.id} title={shown} />
        <button type="button" className="button" aria-expanded={draft.open} onClick={() => draft.setOpen(!draft.open)}>
          Comments <span className="comment-count">{openThreads}</span>
        </button>
        <button type="button" className="button" aria-expanded={historyOpen} onClick={() => setHistoryOpen(!historyOpen)}>
          History
        </button>
        <ThemeToggle />
        <ShortcutsButton />
        <NameField identity={identity} onChange={setIdentity} />
        <button type="button" className="button primary" aria-haspopup="dialog" onClick={() => setSharing(true)}>
          Share
        </button>
        <div className="header-sub">
          {followed ? (
            <div className="follow-bar" role="status" style={{ borderColor: followed.color }}>
              Following {followed.name}
              <button type="button" className="link-button" onClick={stopFollowing}>
                Stop following
              </button>
            </div>
          ) : (
            <TypingLine peers={peers} />
          )}
        </div>
      </header>
      {sharing && (
        <Suspense fallback={null}>
          <ShareDialog
            id={session.id}
            title={shown}
            role={state.role ?? "viewer"}
            token={token}
            onClose={() => setSharing(false)}
            onDeleted={() => {
              forgetDoc(session.id);
              forgetDocTokens(session.id);
              goHome();
            }}
          />
        </Suspense>
      )}
      {ownerLink && token && (
        <Suspense fallback={null}>
          <OwnerLinkDialog id={session.id} token={token} onClose={() => setOwnerLink(false)} />
        </Suspense>
      )}
      {state.docReadOnly && (
        <div className="notice" role="status">
          {state.docReadOnly.message}
        </div>
      )}
      {state.lastError && (
        <div className="notice" role="alert">
          {state.lastError}
        </div>
      )}
      {!ready && <div className="loading">Loading document…</div>}
      {outlineOpen && editor && (
        <Suspense fallback={null}>
          <Outline editor={editor} onClose={() => setOutlineOpen(false)} />
        </Suspense>
      )}
      <main className="doc-main doc-with-comments" hidden={!ready}>
        <HistoryLayout
          docId={session.id}
          role={state.role ?? "viewer"}
          editor={editor}
          open={historyOpen}
          onClose={() => setHistoryOpen(false)}
        >
          <Editor
            session={session}
            identity={identity}
            readOnly={readOnly}
            follow={{ clientId: followed ? following : null, onStop: stopFollowing }}
            onEditor={setEditor}
            toolbarExtra={
              (!readOnly || mayComment) && (
                <>
                  {editor && !readOnly && <SuggestingToggle editor={editor} />}
                  {mayComment && (
                    <button
                      type="button"
                      className="button comment-button"
                      title="Comment on the selection (Mod-Alt-M)"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={draft.start}
                    >
                      Comment
                    </button>
                  )}
                </>
              )
            }
          />
        </HistoryLayout>
        {(draft.open || suggestionList.length > 0) && (
          <div className="comments-column">
            {editor && <SuggestionsPanel editor={editor} list={suggestionList} canResolve={!readOnly} />}
            {draft.open && draft.hint && (
              <p className="notice" role="status">
                {draft.hint}
              </p>
            )}
            {draft.open && (
              <Suspense fallback={null}>
                <CommentsPanel
                  docId={session.id}
                  token={token}
                  threads={threads}
                  canComment={mayComment}
                  author={identity.name}
                  connectionId={state.connectionId}
                  draftQuote={draft.quote}
                  draftOccurrence={draft.occurrence}
                  onDraftDone={draft.done}
                  onChanged={refreshThreads}
                  onClose={() => draft.setOpen(false)}
                />
              </Suspense>
            )}
          </div>
        )}
      </main>
    </div>
  );
}

/** Says plainly that this is a reading view (viewers get no editing controls at all). */
function ViewOnlyBadge() {
  return (
    <span className="badge badge-view" title="You can read and copy, not change, this document">
      <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden="true">
        <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
        <circle cx="12" cy="12" r="3" />
      </svg>
      View only
    </span>
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
      <span aria-hidden="true">Name</span>
      <input
        aria-label="Your name"
        placeholder="Your name"
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
