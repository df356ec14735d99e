import { useEffect, useState } from "react";
import type { DocHealth } from "../../../shared/health";
import { getDocHealth } from "../lib/api";

const MIB = 1024 * 1024;
const size = (bytes: number) => (bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`);
const count = (n: number) => n.toLocaleString("en");
const percent = (m: { value: number; limit: number }) => Math.min(100, Math.round((m.value / m.limit) * 100));

/** "Document health", for the owner: how close the document is to the bounds that keep
 * it fast and loadable, and what to do before it gets slow (Rebuild, in History). */
export function DocumentHealth({ id, token, onOpenHistory }: { id: string; token: string; onOpenHistory?: () => void }) {
  const [health, setHealth] = useState<DocHealth | null>(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    getDocHealth(id, token).then(setHealth, () => setError(true));
  }, [id, token]);

  if (error) return null;
  if (!health) return <p className="hint">Checking the document’s health…</p>;
  const rows: [string, string, number][] = [
    ["Size", `${size(health.stateBytes.value)} of ${size(health.stateBytes.limit)}`, percent(health.stateBytes)],
    [
      "Pieces",
      `${count(health.items.value)} of ${count(health.items.limit)}${health.deletedItems > 0 ? ` (${count(health.deletedItems)} deleted)` : ""}`,
      percent(health.items),
    ],
    ["Editing sessions", `${count(health.clientIds.value)} of ${count(health.clientIds.limit)}`, percent(health.clientIds)],
  ];
  return (
    <section className={`doc-health doc-health-${health.level}`} aria-label="Document health">
      <h3>Document health</h3>
      <dl>
        {rows.map(([label, text, share]) => (
          <div key={label} className="doc-health-row">
            <dt>{label}</dt>
            <dd>
              <span>{text}</span>
              <meter min={0} max={100} low={60} high={75} optimum={0} value={share} aria-label={`${label}: ${share}% of the limit`} />
            </dd>
          </div>
        ))}
      </dl>
      <p className={health.level === "ok" ? "hint" : "doc-health-hint"} role={health.level === "ok" ? undefined : "status"}>
        {health.hint}
      </p>
      {health.level !== "ok" && onOpenHistory && (
        <button type="button" className="link-button" onClick={onOpenHistory}>
          Open History
        </button>
      )}
    </section>
  );
}
