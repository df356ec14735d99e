import { useEffect, useState, useSyncExternalStore } from "react";
import type { Role } from "../../../shared/protocol";
import { DocSession, type SessionSnapshot } from "./session";

/** Opens a DocSession while the component is mounted (null until then). */
export function useDocSession(id: string, token: string, role: Role): DocSession | null {
  const [session, setSession] = useState<DocSession | null>(null);
  useEffect(() => {
    const s = new DocSession(id, token, role);
    setSession(s);
    return () => {
      s.destroy();
      setSession(null);
    };
  }, [id, token, role]);
  return session;
}

export function useSessionState(session: DocSession): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.snapshot);
}
