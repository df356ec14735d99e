/**
 * Who asked for an AI call, as the owner's AI activity names them (requestedBy,
 * decidedBy). One function, so the name's source can change in one place: the name the
 * socket gave when it connected (`?name=`, kept in the connection's state by the room:
 * access/author.ts), else the link the connection came with.
 */
import type { Connection } from "partyserver";
import type { LinkKind } from "../../shared/sharing";
import { grantOf } from "../access/connections";

export const LINK_NAMES: Record<LinkKind, string> = { owner: "Owner", edit: "Editor", comment: "Commenter", view: "Viewer" };

export function nameOf(conn: Connection): string {
  const named = (conn.state as { author?: { name?: unknown } } | null)?.author?.name;
  if (typeof named === "string" && named.trim() !== "") return named.trim().slice(0, 64);
  return LINK_NAMES[grantOf(conn.state)?.kind ?? "view"];
}
