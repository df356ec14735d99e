import type { Peer } from "./usePeers";

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();

function describePeer(p: Peer): string {
  const who = p.self ? `${p.name} (you)` : p.name;
  if (p.viewer) return `${who} · viewing`;
  if (p.activity === "typing") return `${who} · typing…`;
  if (p.activity === "idle") return `${who} · idle`;
  return who;
}

interface Props {
  peers: Peer[];
  /** Clicking someone else's avatar follows them (see sharing/follow.ts). */
  following?: number | null;
  onFollow?: (clientId: number | null) => void;
}

export function Avatars({ peers, following = null, onFollow }: Props) {
  return (
    <ul className="avatars" aria-label="People in this document">
      {peers.map((p) => (
        <li
          key={p.clientId}
          className={`avatar ${p.activity}${p.viewer ? " viewer" : ""}${following === p.clientId ? " followed" : ""}`}
          style={{ background: p.color, ...(following === p.clientId ? { outlineColor: p.color } : {}) }}
          title={describePeer(p)}
          aria-label={describePeer(p)}
        >
          {onFollow && !p.self && !p.viewer ? (
            <button
              type="button"
              className="avatar-button"
              // The initials it shows are part of its name (WCAG's "label in name").
              aria-label={`${following === p.clientId ? "Stop following" : "Follow"} ${p.name}, ${initials(p.name)}`}
              aria-pressed={following === p.clientId}
              title={following === p.clientId ? `Following ${p.name} — click to stop` : `Follow ${p.name}`}
              onClick={() => onFollow(following === p.clientId ? null : p.clientId)}
            >
              {initials(p.name)}
            </button>
          ) : (
            initials(p.name)
          )}
          {p.activity === "typing" && !p.self && (
            <span className="typing-dot" aria-hidden="true">
              …
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** One line under the header naming who is typing right now. */
export function TypingLine({ peers }: { peers: Peer[] }) {
  const typing = peers.filter((p) => !p.self && p.activity === "typing").map((p) => p.name);
  return (
    <div className="typing-line" aria-live="polite">
      {typing.length === 0 ? "\u00a0" : `${typing.join(", ")} ${typing.length === 1 ? "is" : "are"} typing…`}
    </div>
  );
}
