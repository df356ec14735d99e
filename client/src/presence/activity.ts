/**
 * Publishes what the local user is doing ("typing", "active", "idle") in awareness.
 * Only transitions are sent, so typing does not turn into a stream of awareness updates.
 */
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";

export type Activity = "typing" | "active" | "idle";

const TYPING_MS = 2_000;
const IDLE_MS = 60_000;

export function trackActivity(awareness: Awareness, doc: Y.Doc, isLocal: (origin: unknown) => boolean): () => void {
  let current: Activity | null = null;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const set = (next: Activity) => {
    if (next === current) return;
    current = next;
    awareness.setLocalStateField("activity", next);
  };
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => set("idle"), IDLE_MS);
  };
  const onUpdate = (_u: Uint8Array, origin: unknown) => {
    if (!isLocal(origin)) return;
    set("typing");
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => set("active"), TYPING_MS);
    armIdle();
  };
  const onPresence = () => {
    if (document.hidden) {
      set("idle");
      return;
    }
    if (current !== "typing") set("active");
    armIdle();
  };

  doc.on("update", onUpdate);
  document.addEventListener("visibilitychange", onPresence);
  window.addEventListener("pointerdown", onPresence);
  window.addEventListener("keydown", onPresence);
  onPresence();

  return () => {
    clearTimeout(typingTimer);
    clearTimeout(idleTimer);
    doc.off("update", onUpdate);
    document.removeEventListener("visibilitychange", onPresence);
    window.removeEventListener("pointerdown", onPresence);
    window.removeEventListener("keydown", onPresence);
  };
}
