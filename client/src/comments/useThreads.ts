/** The document's comment threads as summaries (each with its first and newest
 * comments), kept current from the server's change feed: the first read pages through
 * `GET …/threads`, and every live `thread-changed` (or reconnect, or `refresh()`) asks
 * only for what changed since the last answer's cursor (`?since=`). A whole list is
 * never read again on each change. Anchors of the open threads are highlighted
 * (anchor-styles.ts). */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Thread } from "../../../shared/comments";
import { listThreads } from "../lib/api";
import { useAnchorHighlights } from "./anchor-styles";

interface Known {
  byId: Map<string, Thread>;
  cursor: number;
}

export function useThreads(docId: string, token: string, changes: number, synced: boolean) {
  const [threads, setThreads] = useState<Thread[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [nudge, setNudge] = useState(0);
  const known = useRef<Known>({ byId: new Map(), cursor: 0 });
  /** One catch-up at a time; a trigger during one runs another after it. */
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: another document or link starts from nothing
  useEffect(() => {
    known.current = { byId: new Map(), cursor: 0 };
    setThreads([]);
  }, [docId, token]);

  const catchUp = useCallback(async () => {
    const k = known.current;
    // Each page is small (THREADS_PAGE_BYTES) and moves the cursor on.
    for (let more = true; more; ) {
      const res = await listThreads(docId, token, k.cursor);
      if (known.current !== k) return; // another document or link meanwhile
      if (res.reset) k.byId.clear();
      for (const id of res.deleted) k.byId.delete(id);
      for (const t of res.threads) k.byId.set(t.id, t);
      k.cursor = res.cursor;
      more = res.more;
    }
    setThreads([...k.byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)));
    setError(null);
  }, [docId, token]);
  const latest = useRef(catchUp);
  latest.current = catchUp;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `changes`, `synced` and `nudge` are the triggers to read what changed
  useEffect(() => {
    // Only once the server took this token (the socket synced): a token reset meanwhile,
    // or no network, would only be a failed request.
    if (!synced) return;
    if (running.current) {
      again.current = true;
      return;
    }
    const run = async (): Promise<void> => {
      try {
        await latest.current();
      } catch (err) {
        setError(err instanceof Error ? err.message : "Could not load comments");
      }
      if (again.current) {
        again.current = false;
        return run();
      }
    };
    running.current = run().finally(() => {
      running.current = null;
    });
  }, [docId, token, changes, synced, nudge]);

  useAnchorHighlights(threads);
  const refresh = useCallback(() => setNudge((n) => n + 1), []);
  return { threads, error, refresh };
}
