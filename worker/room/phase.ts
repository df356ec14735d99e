/**
 * What the room can do right now, as one value. Each kind excludes the others, so no
 * combination of flags can say "writable" and "restarting" at once:
 *  - starting: before the document loaded (or after it was found absent);
 *  - live: loaded, every link may do what its role allows;
 *  - read-only: loaded, but no change is accepted (load.ts says why), until a restore
 *    repairs or shrinks it;
 *  - load-failed: nothing could be loaded; sockets are refused, and only the routes that
 *    need no content answer (delete, versions, restore);
 *  - restarting: the live document broke (recovery.ts) and is being reloaded from
 *    storage; nothing is applied, answered or stored until it is back;
 *  - deleting: the delete began (storage/lifecycle.ts); nothing is loaded, applied or
 *    stored again in this instance.
 */
import { CloseCode } from "../../shared/close-codes";
import { CloseReason } from "../../shared/sharing";
import type { ReadOnlyReason } from "../storage/load";

export type RoomPhase =
  | { kind: "starting" }
  | { kind: "live" }
  | { kind: "read-only"; reason: ReadOnlyReason }
  | { kind: "load-failed"; error: string }
  | { kind: "restarting" }
  | { kind: "deleting" };

export type PhaseKind = RoomPhase["kind"];

/** The close a socket gets from a room that cannot serve it, or null when it can. */
export function refusal(phase: RoomPhase): { code: number; reason: string } | null {
  switch (phase.kind) {
    case "load-failed":
      // Close reasons are at most 123 bytes.
      return { code: CloseCode.LoadFailed, reason: "The document could not be loaded; its owner can restore a version" };
    case "restarting":
      return { code: CloseCode.Unavailable, reason: "Restarting; reconnect" };
    case "deleting":
      return { code: CloseCode.Gone, reason: CloseReason.DocumentDeleted };
    default:
      return null;
  }
}

/** Why changes are refused now, or null when they are accepted. */
export const readOnlyReason = (phase: RoomPhase): ReadOnlyReason | null => (phase.kind === "read-only" ? phase.reason : null);

/** A loaded document that is being served (writable or not): alarms, versions and
 * the last-leave fold may run. */
export const isServing = (phase: RoomPhase): boolean => phase.kind === "live" || phase.kind === "read-only";
