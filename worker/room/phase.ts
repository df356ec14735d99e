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
 *  - rebuilding: the owner rebuilds the document from a version (storage/rebuild.ts):
 *    everyone was cut, nothing is applied or stored while the stored state is
 *    replaced; the room then reloads from it (restarting, then live);
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
  | { kind: "rebuilding" }
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
    case "rebuilding":
      return { code: CloseCode.Unavailable, reason: REBUILDING_REASON };
    case "deleting":
      return { code: CloseCode.Gone, reason: CloseReason.DocumentDeleted };
    default:
      return null;
  }
}

/** Why everyone is cut (and newcomers refused) while a rebuild runs: they reconnect,
 * and are then of an older epoch (admit.ts). */
export const REBUILDING_REASON = "Rebuilding the document; reconnecting";

/** The live document is being replaced: nothing may be applied to or read from it. */
export const isReplacing = (phase: RoomPhase): boolean => phase.kind === "restarting" || phase.kind === "rebuilding";

/** Why changes are refused now, or null when they are accepted. */
export const readOnlyReason = (phase: RoomPhase): ReadOnlyReason | null => (phase.kind === "read-only" ? phase.reason : null);

/** A loaded document that is being served (writable or not): alarms, versions and
 * the last-leave fold may run. */
export const isServing = (phase: RoomPhase): boolean => phase.kind === "live" || phase.kind === "read-only";
