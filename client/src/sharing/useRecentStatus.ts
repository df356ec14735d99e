/**
 * Checks the documents on the home page's list with the server: current title and
 * role, or that the document is gone (deleted elsewhere) or the link no longer works.
 * GET …/access answers all of these with 200, so a list of stale links fills no console
 * with failed requests.
 */
import { useEffect, useState } from "react";
import type { Role } from "../../../shared/protocol";
import { checkAccess } from "../lib/api";
import { bestToken, deadLink, forgetDocToken, markVerified, rememberDoc, type RecentDoc } from "../lib/storage";

export type RecentStatus =
  | { kind: "ok"; title: string; role: Role }
  | { kind: "deleted" }
  | { kind: "revoked" }
  /** Not answered (offline, or the server failed): the list shows what it last knew. */
  | { kind: "unknown" };

/** Parallel requests at a time: the list holds up to 50 documents. */
const CONCURRENCY = 6;

async function statusOf(doc: RecentDoc): Promise<RecentStatus> {
  const access = bestToken(doc.id);
  if (!access) {
    const dead = deadLink(doc.id);
    return dead && dead.why !== "refused" ? { kind: "deleted" } : { kind: "revoked" };
  }
  try {
    const answer = await checkAccess(doc.id, access.token);
    if (answer.access === "open") {
      const { title, role } = answer.info;
      if (!access.verified) markVerified(doc.id, access.token, role);
      // Keep the list's title and role as the server has them, without bumping "last opened".
      if (title !== doc.title || role !== doc.role) rememberDoc({ ...doc, title, role });
      return { kind: "ok", title, role };
    }
    // The token is useless now (links never come back); opening the document then says why.
    forgetDocToken(doc.id, access.token, answer.access);
    return answer.access === "refused" ? { kind: "revoked" } : { kind: "deleted" };
  } catch {
    return { kind: "unknown" };
  }
}

/** Each listed document's status (absent while it is being checked). */
export function useRecentStatus(docs: RecentDoc[]): Record<string, RecentStatus> {
  const [status, setStatus] = useState<Record<string, RecentStatus>>({});
  const ids = docs.map((d) => d.id).join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the ids, not the array (a new array each render)
  useEffect(() => {
    let cancelled = false;
    const queue = docs.filter((d) => !(d.id in status));
    const worker = async () => {
      for (let d = queue.shift(); d && !cancelled; d = queue.shift()) {
        const result = await statusOf(d);
        if (!cancelled) setStatus((s) => ({ ...s, [d.id]: result }));
      }
    };
    void Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return () => {
      cancelled = true;
    };
  }, [ids]);
  return status;
}
