import { useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import type { Activity } from "./activity";

export interface Peer {
  clientId: number;
  name: string;
  color: string;
  activity: Activity;
  viewer: boolean;
  self: boolean;
}

function readPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = state.user as { name?: unknown; color?: unknown } | undefined;
    if (!user || typeof user.name !== "string") return;
    const activity = state.activity;
    peers.push({
      clientId,
      name: user.name.slice(0, 40),
      color: typeof user.color === "string" && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : "#868e96",
      activity: activity === "typing" || activity === "idle" ? activity : "active",
      viewer: state.viewer === true,
      self: clientId === awareness.clientID,
    });
  });
  return peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
}

/** Everyone present in the document, the local user first. */
export function usePeers(awareness: Awareness): Peer[] {
  const [peers, setPeers] = useState(() => readPeers(awareness));
  useEffect(() => {
    const onChange = () => setPeers(readPeers(awareness));
    awareness.on("change", onChange);
    onChange();
    return () => awareness.off("change", onChange);
  }, [awareness]);
  return peers;
}
