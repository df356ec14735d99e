import { useEffect, useRef, useState } from "react";
import { shareUrl, type ShareLinks } from "../../../shared/api";
import type { AiPolicy } from "../../../shared/ai";
import type { Role } from "../../../shared/protocol";
import { type PatchDocRequest, SHARE_LINK_KINDS, type ShareLinkKind } from "../../../shared/sharing";
import { docTokens, saveDocTokens } from "../lib/storage";
import { ApiError, getShareLinks, patchDoc, rotateLink } from "../lib/api";
import { AiPolicySection } from "./AiPolicySection";
import { copyText } from "./copy";
import { DeleteSection } from "./DeleteSection";
import { DocumentHealth } from "./DocumentHealth";
import { Modal } from "./Modal";
import { OwnerLinkReset } from "./OwnerLinkReset";
import { RenameField } from "./RenameField";

const LABEL: Record<ShareLinkKind, { on: string; name: string }> = {
  edit: { on: "Anyone with the link can edit", name: "Edit" },
  comment: { on: "Anyone with the link can comment (not edit)", name: "Comment" },
  view: { on: "Anyone with the link can view", name: "View" },
};

const SWITCH_FIELD: Record<ShareLinkKind, (to: "on" | "off") => PatchDocRequest> = {
  edit: (to) => ({ editLink: to }),
  comment: (to) => ({ commentLink: to }),
  view: (to) => ({ viewLink: to }),
};

interface Props {
  id: string;
  title: string;
  role: Role;
  /** The token this page is open with. */
  token: string;
  /** The document's AI policy as the page knows it (live). */
  aiPolicy: AiPolicy;
  onClose: () => void;
  onDeleted: () => void;
  /** Closes the dialog and opens History (where a worn document is rebuilt). */
  onOpenHistory?: () => void;
}

/** The Share dialog: for the owner, the current links as the server has them (in any
 * browser: GET …/links reads them back), with copy, reset, turn off/on, rename, the
 * owner link's reset and delete; for everyone else, the links this browser holds. */
export function ShareDialog({ id, title, role, token, aiPolicy, onClose, onDeleted, onOpenHistory }: Props) {
  const owner = role === "owner";
  const [tokens, setTokens] = useState(() => docTokens(id));
  const [links, setLinks] = useState<ShareLinks | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!owner) return;
    getShareLinks(id, token)
      .then(setLinks)
      .catch((err: unknown) => setError(message(err)));
  }, [id, token, owner]);

  const run = async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(null);
    }
  };

  const remember = (kind: ShareLinkKind, newToken: string) => {
    saveDocTokens(id, { [kind]: newToken });
    setTokens(docTokens(id));
  };

  const reset = (kind: ShareLinkKind) =>
    run(`reset-${kind}`, async () => {
      const issued = await rotateLink(id, token, kind);
      remember(kind, issued.token);
      setLinks((l) => (l ? { ...l, [kind]: { state: "on", url: issued.url } } : l));
      setNotice(`New ${kind} link ready. The old one stopped working, also for anyone who had the document open.`);
    });

  const toggle = (kind: ShareLinkKind, to: "on" | "off") =>
    run(`toggle-${kind}`, async () => {
      const res = await patchDoc(id, token, SWITCH_FIELD[kind](to));
      const issued = res.issued?.[kind];
      if (issued) remember(kind, issued.token);
      const state = res.links?.[kind] ?? to;
      setLinks((l) => (l ? { ...l, [kind]: { state, url: state === "off" ? null : (issued?.url ?? l[kind].url) } } : l));
      setNotice(
        to === "off"
          ? `The ${kind} link is off. Nobody can open the document with it.`
          : `The ${kind} link is on again, with a new address.`,
      );
    });

  return (
    <Modal label="Share this document" onClose={onClose} className="share-dialog">
      <h2>Share “{title}”</h2>
      {owner && <RenameField id={id} token={token} title={title} />}
      {SHARE_LINK_KINDS.map((kind) => {
        // Non-owners only know the links they were given; the owner gets them from the server
        // (this browser's copy only for a link issued before the server kept them).
        const known = tokens[kind];
        const mine = known ? shareUrl(location.origin, id, kind, known) : null;
        const on = links ? links[kind].state === "on" : Boolean(known);
        if (!owner && !known) return null;
        return (
          <LinkRow
            key={kind}
            kind={kind}
            url={!owner ? mine : links?.[kind].state === "on" ? (links[kind].url ?? mine) : null}
            state={!owner ? "on" : links === null ? "loading" : on ? "on" : "off"}
            owner={owner}
            busy={busy}
            onReset={() => void reset(kind)}
            onToggle={(to) => void toggle(kind, to)}
          />
        );
      })}
      {!owner && <p className="hint">Only the document’s owner can reset or turn off links.</p>}
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
      <AiPolicySection id={id} token={token} owner={owner} policy={aiPolicy} />
      {owner && <DocumentHealth id={id} token={token} onOpenHistory={onOpenHistory} />}
      {owner && <OwnerLinkReset id={id} token={token} />}
      {owner && <DeleteSection id={id} token={token} title={title} onDeleted={onDeleted} />}
      <p className="hint">Links carry their key after “#”, which browsers never send to a server log.</p>
      <div className="modal-actions">
        <button type="button" className="button primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}

interface RowProps {
  kind: ShareLinkKind;
  url: string | null;
  state: "on" | "off" | "loading";
  owner: boolean;
  busy: string | null;
  onReset: () => void;
  onToggle: (to: "on" | "off") => void;
}

function LinkRow({ kind, url, state, owner, busy, onReset, onToggle }: RowProps) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const name = LABEL[kind].name;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new URL (after a reset) clears "Copied"
  useEffect(() => setCopied(false), [url]);
  return (
    <section className="link-row" aria-label={`${name} link`}>
      <div className="link-row-head">
        <span className="link-label">{state === "off" ? `${name} link is off` : LABEL[kind].on}</span>
        {owner && (
          <span className="link-owner-actions">
            <button type="button" className="link-button" disabled={busy !== null || state === "loading"} onClick={onReset}>
              {busy === `reset-${kind}` ? "Resetting…" : `Reset ${kind} link`}
            </button>
            {state !== "loading" && (
              <button
                type="button"
                className="link-button"
                disabled={busy !== null}
                onClick={() => onToggle(state === "on" ? "off" : "on")}
              >
                {state === "on" ? `Turn off ${kind} link` : `Turn on ${kind} link`}
              </button>
            )}
          </span>
        )}
      </div>
      {url ? (
        <div className="link-field">
          <input ref={field} readOnly value={url} aria-label={`${name} link`} onFocus={(e) => e.target.select()} />
          <button
            type="button"
            className="button"
            onClick={async () => {
              setCopied(await copyText(url, field.current));
              setTimeout(() => setCopied(false), 1500);
            }}
          >
            {copied ? "Copied!" : `Copy ${kind} link`}
          </button>
        </div>
      ) : state === "on" ? (
        <p className="hint">
          This link is on, but its address was made before Quire kept it for you. Reset it to see it (the old one stops working).
        </p>
      ) : state === "off" ? (
        <p className="hint">Nobody can open the document with a {kind} link. Turn it on to get a new one.</p>
      ) : (
        <p className="hint">Loading…</p>
      )}
    </section>
  );
}

function message(err: unknown): string {
  if (err instanceof ApiError && err.status === 403) return "You are not allowed to do that with this link.";
  return err instanceof Error ? err.message : "Something went wrong";
}
