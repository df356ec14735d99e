import type { Peer } from "./usePeers";

const initials = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();

function describe(p: Peer): string {
  const who = p.self ? `${p.name} (you)` : p.name;
  if (p.viewer) return `${who} · viewing`;
  if (p.activity === "typing") return `${who} · typing…`;
  if (p.activity === "idle") return `${who} · idle`;
  return who;
}

export function Avatars({ peers }: { peers: Peer[] }) {
  return (
    <ul className="avatars" aria-label="People in this document">
      {peers.map((p) => (
        <li
          key={p.clientId}
          className={`avatar ${p.activity}${p.viewer ? " viewer" : ""}`}
          style={{ background: p.color }}
          title={describe(p)}
          aria-label={describe(p)}
        >
          {initials(p.name)}
          {p.activity === "typing" && !p.self && <span className="typing-dot" aria-hidden="true">…</span>}
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
