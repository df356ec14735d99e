import type { Status } from "./session";

/** `detail` is read out and shown where the header has room (styles.css). */
const LABELS: Record<Status, { text: string; detail?: string; hint: string }> = {
  connecting: { text: "Connecting…", hint: "Reaching the server" },
  reconnecting: {
    text: "Reconnecting…",
    hint: "The server is out of reach; your changes are kept on this device and sync when it returns",
  },
  offline: {
    text: "Offline",
    detail: " — changes kept on this device",
    hint: "No network: keep editing; everything syncs when the network returns",
  },
  saving: { text: "Saving…", hint: "Waiting for the server to store your latest changes" },
  saved: { text: "Saved", hint: "The server has stored every change you made" },
};

export function StatusBadge({ status }: { status: Status }) {
  const l = LABELS[status];
  return (
    <span className={`status status-${status}`} role="status" aria-live="polite" title={l.hint}>
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{l.text}</span>
      {l.detail && <span className="status-detail">{l.detail}</span>}
    </span>
  );
}
