/** The document page's header: one row at every width. Logo, title, role and save
 * status, then the document's tools (people, Outline, Export, Comments, Suggestions,
 * History), a menu button and Share. The menu holds the rarely used settings (theme,
 * shortcuts, your name) on wide screens, and every tool on narrow ones, where the row
 * has room only for the title and Share. The typing line sits under the row. */
import { lazy, type ReactNode, Suspense, useEffect, useId, useState } from "react";
import type { Role } from "../../../shared/protocol";
import type { Status } from "../collab/session";
import { StatusBadge } from "../collab/StatusBadge";
// Printing (Ctrl+P included) needs the print stylesheet from the start; the Export
// menu itself loads as the header first renders, not before the page shows.
import "../export/print.css";
import type { Identity } from "../lib/identity";
import { Avatars } from "../presence/Avatars";
import type { Peer } from "../presence/usePeers";
import { useShortcutList } from "../shortcuts/ShortcutsButton";
import { useHeaderHeight } from "../editor/sticky";

const HeaderSettings = lazy(() => import("./HeaderSettings"));
const ExportMenu = lazy(() => import("../export/ExportMenu").then((m) => ({ default: m.ExportMenu })));

export type PanelName = "outline" | "comments" | "suggestions" | "history" | "ai-activity";

interface Props {
  docId: string;
  title: string;
  shownTitle: string;
  onTitle: (title: string) => void;
  readOnly: boolean;
  role: Role | null;
  status: Status;
  peers: Peer[];
  following: number | null;
  onFollow: (clientId: number | null) => void;
  /** As shown in this document (its colour may differ from the stored one). */
  identity: Identity;
  onName: (name: string) => void;
  panel: PanelName | null;
  onPanel: (panel: PanelName) => void;
  openThreads: number;
  suggestions: number;
  onShare: () => void;
  /** The Authors view (colours by who wrote what) is on. */
  authors: boolean;
  onAuthors: () => void;
  /** Back to the text (Escape in the menu). */
  onDone: () => void;
  /** Under the row: who is typing, or the follow bar. */
  sub: ReactNode;
}

export function DocumentHeader(p: Props) {
  const headerRef = useHeaderHeight();
  const [menu, setMenu] = useState(false);
  // The settings load when the menu first opens, and stay.
  const [opened, setOpened] = useState(false);
  const shortcuts = useShortcutList();
  const tools = useId();

  const { onDone } = p;
  useEffect(() => {
    if (!menu) return;
    const inside = (t: EventTarget | null) => t instanceof Element && t.closest(".header-tools, .header-menu-button") !== null;
    const away = (e: PointerEvent) => {
      if (!inside(e.target)) setMenu(false);
    };
    // Escape in the menu (unless a control in it, the Export menu, used it): back to the text.
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || !inside(e.target)) return;
      e.preventDefault();
      setMenu(false);
      onDone();
    };
    document.addEventListener("pointerdown", away);
    document.addEventListener("keydown", onEscape);
    return () => {
      document.removeEventListener("pointerdown", away);
      document.removeEventListener("keydown", onEscape);
    };
  }, [menu, onDone]);

  const open = (name: PanelName) => {
    setMenu(false);
    p.onPanel(name);
  };
  /** A panel's button; `count` in a badge (its class names what it counts). */
  const toggleButton = (name: PanelName, label: string, count?: { n: number; what: string }) => (
    <button type="button" className="button" aria-expanded={p.panel === name} onClick={() => open(name)}>
      {label}
      {count && <span className={`count-badge ${count.what}-count`}>{count.n}</span>}
    </button>
  );

  return (
    <header className="doc-header" ref={headerRef}>
      <div className="header-row">
        <a className="brand" href="/" aria-label="Quire home">
          Q
        </a>
        <input
          className="title-input"
          aria-label="Document title"
          value={p.title}
          placeholder="Untitled document"
          // Wide enough for the title (field-sizing in CSS does it exactly where supported).
          size={Math.min(40, Math.max(10, (p.title || "Untitled document").length + 1))}
          readOnly={p.readOnly}
          onChange={(e) => p.onTitle(e.target.value)}
        />
        {p.role === "viewer" && <RoleBadge text="View only" hint="You can read and copy, not change, this document" icon={EYE} />}
        {p.role === "commenter" && (
          <RoleBadge text="Can comment" hint="You can read and comment, not change, this document" icon={BUBBLE} />
        )}
        <StatusBadge status={p.status} />
        <div id={tools} className="header-tools" data-open={menu || undefined}>
          <Avatars peers={p.peers} following={p.following} onFollow={p.onFollow} />
          {toggleButton("outline", "Outline")}
          <button
            type="button"
            className="button"
            aria-pressed={p.authors}
            title="Colour the text by who wrote it"
            onClick={() => {
              setMenu(false);
              p.onAuthors();
            }}
          >
            Authors
          </button>
          <Suspense
            fallback={
              <button type="button" className="button" disabled>
                Export
              </button>
            }
          >
            <ExportMenu docId={p.docId} title={p.shownTitle} />
          </Suspense>
          {toggleButton("comments", "Comments", { n: p.openThreads, what: "comment" })}
          {/* Never opens by itself: a count says there is something to review. */}
          {(p.suggestions > 0 || p.panel === "suggestions") &&
            toggleButton("suggestions", "Suggestions", { n: p.suggestions, what: "suggestion" })}
          {toggleButton("history", "History")}
          <div className="header-extra">
            {/* The owner's, and seldom needed: in the menu, leaving the row to the title. */}
            {p.role === "owner" && toggleButton("ai-activity", "AI activity")}
            {opened && (
              <Suspense fallback={null}>
                <HeaderSettings identity={p.identity} onName={p.onName} onShortcuts={shortcuts.show} />
              </Suspense>
            )}
          </div>
        </div>
        <button
          type="button"
          className="button header-menu-button"
          aria-label={p.suggestions > 0 ? `Menu, ${p.suggestions} suggestions` : "Menu"}
          title="Menu"
          aria-expanded={menu}
          aria-controls={tools}
          onClick={() => {
            setMenu(!menu);
            setOpened(true);
          }}
        >
          <span aria-hidden="true">⋯</span>
          {p.suggestions > 0 && <span className="count-badge menu-count">{p.suggestions}</span>}
        </button>
        <button type="button" className="button primary" aria-haspopup="dialog" onClick={p.onShare}>
          Share
        </button>
      </div>
      <div className="header-sub">{p.sub}</div>
      {shortcuts.dialog}
    </header>
  );
}

const EYE = (
  <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden="true">
    <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
    <circle cx="12" cy="12" r="3" />
  </svg>
);

const BUBBLE = (
  <svg
    width="14"
    height="14"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2.2"
    strokeLinejoin="round"
    aria-hidden="true"
  >
    <path d="M4 5h16v11H9l-5 4z" />
  </svg>
);

/** Says plainly what this link allows (viewers get no editing controls at all). On a
 * phone only the icon shows; the words stay for screen readers. */
function RoleBadge({ text, hint, icon }: { text: string; hint: string; icon: ReactNode }) {
  return (
    <span className="badge badge-view" title={hint}>
      {icon}
      <span className="badge-text">{text}</span>
    </span>
  );
}
