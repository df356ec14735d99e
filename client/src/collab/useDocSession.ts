import { useEffect, useState, useSyncExternalStore } from "react";
import type { Role } from "../../../shared/protocol";
import { DocSession, type SessionSnapshot } from "./session";

/** Opens a DocSession while the component is mounted (null until then), and a new one
 * when the document was rebuilt (the old session's copy is of another epoch). */
export function useDocSession(id: string, token: string, role: Role): DocSession | null {
  const [session, setSession] = useState<DocSession | null>(null);
  const [epoch, setEpoch] = useState<number | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new epoch (the document was rebuilt) is what opens a new session
  useEffect(() => {
    const s = new DocSession(id, token, role);
    setSession(s);
    const off = s.subscribe(() => {
      const to = s.snapshot().rebuiltTo;
      if (to !== null) setEpoch(to);
    });
    return () => {
      off();
      s.destroy();
      setSession(null);
    };
  }, [id, token, role, epoch]);
  return session;
}

export function useSessionState(session: DocSession): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.snapshot);
}
