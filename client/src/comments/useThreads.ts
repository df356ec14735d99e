/** The document's comment threads, re-read whenever the server announces a change
 * (`thread-changed` on the socket) or the caller asks. */
import { useCallback, useEffect, useState } from "react";
import type { Thread } from "../../../shared/comments";
import { listThreads } from "../lib/api";

export function useThreads(docId: string, token: string, changes: number, synced: boolean) {
  const [threads, setThreads] = useState<Thread[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [nudge, setNudge] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes`, `synced` and `nudge` are the triggers to re-read
  useEffect(() => {
    // Only once the server took this token (the socket synced): a token reset meanwhile,
    // or no network, would only be a failed request.
    if (!synced) return;
    let live = true;
    listThreads(docId, token)
      .then((res) => {
        if (!live) return;
        setThreads(res.threads);
        setError(null);
      })
      .catch((err: unknown) => {
        if (live) setError(err instanceof Error ? err.message : "Could not load comments");
      });
    return () => {
      live = false;
    };
  }, [docId, token, changes, synced, nudge]);

  const refresh = useCallback(() => setNudge((n) => n + 1), []);
  return { threads, error, refresh };
}
