/** How versions are labelled in the history panel. */
import type { Version, VersionKind } from "../../../shared/versions";

const KIND_LABELS: Record<VersionKind, string> = {
  named: "Named version",
  auto: "Autosaved while editing",
  compaction: "Autosaved while editing",
  idle: "Autosaved after editing",
  "before-restore": "Before a restore",
  "before-rebuild": "Before a rebuild",
  rebuilt: "Rebuilt",
};

export const versionTitle = (v: Version): string => v.name ?? KIND_LABELS[v.kind];

export function versionTime(createdAt: number, now = Date.now()): string {
  const d = new Date(createdAt);
  const time = d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const today = new Date(now);
  if (d.toDateString() === today.toDateString()) return `Today ${time}`;
  const yesterday = new Date(now - 86_400_000);
  if (d.toDateString() === yesterday.toDateString()) return `Yesterday ${time}`;
  const sameYear = d.getFullYear() === today.getFullYear();
  return `${d.toLocaleDateString(undefined, { day: "numeric", month: "short", ...(sameYear ? {} : { year: "numeric" }) })} ${time}`;
}

export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
