/**
 * Checks the documents on the home page's list with the server: current title and
 * role, or that the document is gone (deleted elsewhere) or the link was cut.
 */
import { useEffect, useState } from "react";
import type { Role } from "../../../shared/protocol";
import { bestToken, rememberDoc, type RecentDoc } from "../lib/storage";
import { ApiError, getDocInfo } from "../lib/api";

export type RecentStatus = { kind: "ok"; title: string; role: Role } | { kind: "deleted" } | { kind: "revoked" } | { kind: "unknown" };

/** Parallel requests at a time: the list holds up to 50 documents. */
const CONCURRENCY = 6;

export function useRecentStatus(docs: RecentDoc[]): Record<string, RecentStatus> {
  const [status, setStatus] = useState<Record<string, RecentStatus>>({});
  const ids = docs.map((d) => d.id).join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the ids, not the array (a new array each render)
  useEffect(() => {
    let cancelled = false;
    const queue = [...docs];
    const check = async (doc: RecentDoc): Promise<void> => {
      const access = bestToken(doc.id);
      let result: RecentStatus;
      if (!access) result = { kind: "revoked" };
      else {
        try {
          const info = await getDocInfo(doc.id, access.token);
          result = { kind: "ok", title: info.title, role: info.role };
          // Keep the list's title and role as the server has them, without bumping "last opened".
          if (info.title !== doc.title || info.role !== doc.role) rememberDoc({ ...doc, title: info.title, role: info.role });
        } catch (err) {
          const code = err instanceof ApiError ? err.status : 0;
          result = code === 404 || code === 410 ? { kind: "deleted" } : code === 403 ? { kind: "revoked" } : { kind: "unknown" };
        }
      }
      if (!cancelled) setStatus((s) => ({ ...s, [doc.id]: result }));
    };
    const worker = async () => {
      for (let d = queue.shift(); d && !cancelled; d = queue.shift()) await check(d);
    };
    void Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return () => {
      cancelled = true;
    };
  }, [ids]);
  return status;
}
