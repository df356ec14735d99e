import type { Editor as TiptapEditor } from "@tiptap/core";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { CloseCode } from "../../../shared/close-codes";
import { canComment, canWrite, type Role } from "../../../shared/protocol";
import { useDebugHandle } from "../collab/debug-handle";
import { FATAL_MESSAGES, type DocSession } from "../collab/session";
import { useDocSession, useSessionState } from "../collab/useDocSession";
import { displayTitle, useTitle } from "../collab/useTitle";
import "../comments/anchor.css";
import { useCommentDraft } from "../comments/useCommentDraft";
import { useThreads } from "../comments/useThreads";
import { Editor } from "../editor/Editor";
import { SuggestionsPanel } from "../suggestions/SuggestionsPanel";
import { resolveIn, useSuggesting, useSuggestions } from "../suggestions/useSuggestions";
import { HistoryLayout } from "../history/HistoryLayout";
import type { ToolItem } from "../editor/toolbar-items";
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
import { TypingLine } from "../presence/Avatars";
import { useDistinctColor } from "../presence/colors";
import { usePeers } from "../presence/usePeers";

import { ownerLinkPending } from "../sharing/owner-link";
import { Panel } from "../panels/Panel";
import { DocumentHeader, type PanelName } from "./DocumentHeader";
import { ErrorView } from "./ErrorView";

// Not needed to start typing: loaded when first opened.
const AuthorsView = lazy(() => import("../authors/AuthorsView"));
const Outline = lazy(() => import("../outline/Outline"));
const CommentsPanel = lazy(() => import("../comments/CommentsPanel").then((m) => ({ default: m.CommentsPanel })));
const ShareDialog = lazy(() => import("../sharing/ShareDialog").then((m) => ({ default: m.ShareDialog })));
const AiActivityPanel = lazy(() => import("../ai/AiActivityPanel"));
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
  // A new session (after a rebuild) is a new page: nothing of the old one's editor stays.
  return <SessionView key={session.epoch} session={session} token={token} onReachable={onReachable} />;
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
  // The colour shown in this document: never one someone else present shows.
  const shownIdentity = useDistinctColor(session.provider.awareness, identity);
  useDebugHandle(session);
  // Before the server's welcome the role is unknown: editing offline stays possible.
  const readOnly = (state.role !== null && !canWrite(state.role)) || state.docReadOnly !== null;
  const [editor, setEditor] = useState<TiptapEditor | null>(null);
  const shown = displayTitle(title);
  const [sharing, setSharing] = useState(false);
  const [authorsOn, setAuthorsOn] = useState(false);
  const [ownerLink, setOwnerLink] = useState(() => state.role === "owner" && ownerLinkPending(session.id));
  const [following, setFollowing] = useState<number | null>(null);
  const stopFollowing = useCallback(() => setFollowing(null), []);
  const followed = peers.find((p) => p.clientId === following);
  const { threads, refresh: refreshThreads } = useThreads(session.id, token, state.threadsSeq, state.synced);
  const mayComment = state.role !== null && canComment(state.role);
  const draft = useCommentDraft(editor, mayComment);
  const openThreads = threads.filter((t) => t.status !== "resolved").length;
  const suggestionList = useSuggestions(editor);
  const suggesting = useSuggesting(editor, !readOnly);
  // One side panel at a time; the comments panel's state is the draft's (Mod-Alt-M opens it).
  const [side, setSide] = useState<Exclude<PanelName, "comments"> | null>(null);
  const panel: PanelName | null = draft.open ? "comments" : side;
  useEffect(() => {
    if (draft.open) setSide(null);
  }, [draft.open]);
  const togglePanel = (name: PanelName) => {
    const next = panel === name ? null : name;
    draft.setOpen(next === "comments");
    setSide(next === "comments" ? null : next);
  };
  const backToText = useCallback(() => editor?.commands.focus(), [editor]);
  const closePanel = () => {
    draft.setOpen(false);
    setSide(null);
    backToText();
  };
  const toolbarItems: ToolItem[] = [
    ...(suggesting
      ? [
          {
            key: "suggesting",
            label: suggesting.state === "failed" ? "Suggesting (retry)" : "Suggesting",
            hint:
              suggesting.state === "failed"
                ? "Suggesting could not start (offline?). Try again."
                : "your changes to the document (text, formatting, headings, lists, paragraphs, tables, images) become suggestions others can accept or reject; the title changes directly",
            shortcut: "Mod-Shift-E",
            group: "review",
            keep: 6,
            pressed: suggesting.on,
            run: suggesting.toggle,
            className: "suggesting-toggle",
          },
        ]
      : []),
    ...(mayComment ? [{ key: "comment", label: "Comment", shortcut: "Mod-Alt-M", group: "review", keep: 8, run: draft.start }] : []),
  ];
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
        {(state.fatal.code === CloseCode.TooLarge || state.fatal.code === CloseCode.Unprocessable) && (
          <button type="button" className="button" onClick={() => location.reload()}>
            Reload
          </button>
        )}
      </ErrorView>
    );
  }

  return (
    <div className="doc-page">
      <DocumentHeader
        docId={session.id}
        title={title}
        shownTitle={shown}
        onTitle={setTitle}
        readOnly={readOnly}
        role={state.role}
        status={state.status}
        peers={peers}
        following={following}
        onFollow={setFollowing}
        identity={shownIdentity}
        onName={(name) => setIdentity((i) => ({ ...i, name }))}
        panel={panel}
        onPanel={togglePanel}
        openThreads={openThreads}
        suggestions={suggestionList.length}
        onShare={() => setSharing(true)}
        authors={authorsOn}
        onAuthors={() => setAuthorsOn((on) => !on)}
        onDone={backToText}
        sub={
          <>
            {authorsOn && editor && token && (
              <Suspense fallback={null}>
                <AuthorsView editor={editor} present={peers} docId={session.id} token={token} onClose={() => setAuthorsOn(false)} />
              </Suspense>
            )}
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
          </>
        }
      />
      {sharing && (
        <Suspense fallback={null}>
          <ShareDialog
            id={session.id}
            title={shown}
            role={state.role ?? "viewer"}
            token={token}
            aiPolicy={state.aiPolicy}
            onClose={() => setSharing(false)}
            onOpenHistory={() => {
              setSharing(false);
              draft.setOpen(false);
              setSide("history");
            }}
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
      <main className="doc-main" hidden={!ready}>
        {panel === "outline" && editor && (
          <Panel side="start" onClose={closePanel}>
            <Suspense fallback={null}>
              <Outline editor={editor} onClose={closePanel} />
            </Suspense>
          </Panel>
        )}
        <HistoryLayout
          docId={session.id}
          token={token}
          role={state.role ?? "viewer"}
          editor={editor}
          open={panel === "history"}
          onClose={closePanel}
          present={peers}
        >
          <Editor
            session={session}
            identity={shownIdentity}
            readOnly={readOnly}
            follow={{ clientId: followed ? following : null, onStop: stopFollowing }}
            onEditor={setEditor}
            toolbarItems={toolbarItems}
            ai={state.aiPolicy}
          />
        </HistoryLayout>
        {panel === "suggestions" && editor && (
          <Panel side="end" onClose={closePanel}>
            <SuggestionsPanel
              list={suggestionList}
              resolve={(ids, accept) => void resolveIn(editor, ids, accept)}
              canResolve={!readOnly}
              onClose={closePanel}
            />
          </Panel>
        )}
        {panel === "ai-activity" && state.role === "owner" && (
          <Panel side="end" onClose={closePanel}>
            <Suspense fallback={<p className="hint">Loading…</p>}>
              <AiActivityPanel docId={session.id} token={token} onClose={closePanel} />
            </Suspense>
          </Panel>
        )}
        {panel === "comments" && (
          <Panel side="end" onClose={closePanel}>
            {draft.hint && (
              <p className="notice" role="status">
                {draft.hint}
              </p>
            )}
            <Suspense fallback={null}>
              <CommentsPanel
                docId={session.id}
                token={token}
                threads={threads}
                editor={editor}
                canComment={mayComment}
                aiOn={state.aiPolicy !== "off"}
                owner={state.role === "owner"}
                author={identity.name}
                connectionId={state.connectionId}
                draftQuote={draft.quote}
                draftOccurrence={draft.occurrence}
                onDraftDone={draft.done}
                onChanged={refreshThreads}
                onClose={closePanel}
              />
            </Suspense>
          </Panel>
        )}
      </main>
    </div>
  );
}
