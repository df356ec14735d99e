/** Two people in a document never show the same colour. People are taken in the order
 * of their Yjs client ids: each keeps the colour its browser picked (lib/identity.ts)
 * unless someone before it shows that colour, and then takes the next colour nobody
 * before it shows, for this visit only. Each client looks only at those before it, so
 * the lowest settles first, then the next, and no two ever chase each other; a colour
 * comes back once the person showing it leaves. */
import { useEffect, useMemo, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import { COLORS, type Identity } from "../lib/identity";

export interface Shown {
  clientId: number;
  color: string;
}

export function distinctColor(preferred: string, clientId: number, others: readonly Shown[]): string {
  const taken = new Set(others.filter((o) => o.clientId < clientId).map((o) => o.color.toLowerCase()));
  if (!taken.has(preferred.toLowerCase())) return preferred;
  const start = Math.max(0, COLORS.indexOf(preferred));
  for (let i = 1; i < COLORS.length; i++) {
    const color = COLORS[(start + i) % COLORS.length]!;
    if (!taken.has(color)) return color;
  }
  // More people than colours: someone has to share.
  return preferred;
}

function othersShown(awareness: Awareness): Shown[] {
  const shown: Shown[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const color = (state.user as { color?: unknown } | undefined)?.color;
    if (clientId !== awareness.clientID && typeof color === "string") shown.push({ clientId, color });
  });
  return shown;
}

/** `identity` with the colour this client shows in this document. */
export function useDistinctColor(awareness: Awareness, identity: Identity): Identity {
  const [color, setColor] = useState(identity.color);
  useEffect(() => {
    const update = () => setColor(distinctColor(identity.color, awareness.clientID, othersShown(awareness)));
    update();
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [awareness, identity.color]);
  return useMemo(() => (color === identity.color ? identity : { ...identity, color }), [identity, color]);
}
