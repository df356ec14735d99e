import type { Status } from "./session";

const LABELS: Record<Status, { text: string; hint: string }> = {
  connecting: { text: "Connecting…", hint: "Reaching the server" },
  offline: { text: "Offline", hint: "No network: your changes stay in this tab until it returns" },
  saving: { text: "Saving…", hint: "Waiting for the server to store your latest changes" },
  saved: { text: "Saved", hint: "The server has stored every change you made" },
};

export function StatusBadge({ status }: { status: Status }) {
  const l = LABELS[status];
  return (
    <span className={`status status-${status}`} role="status" aria-live="polite" title={l.hint}>
      <span className="status-dot" aria-hidden="true" />
      {l.text}
    </span>
  );
}
