/**
 * GET /authorship (any working link): who wrote each run of the document as it stands,
 * from the server's records of who introduced each Yjs client id (room/authors.ts) and
 * the Y.Doc's items (content/authorship.ts).
 */
import { authorship } from "../content/authorship";
import { json } from "../lib/http";
import type { RoomContext } from "../room/context";

export async function authorshipRoute(request: Request, room: Pick<RoomContext, "links" | "doc" | "defense">): Promise<Response> {
  const role = await room.links.authorize(request);
  if (role instanceof Response) return role;
  const view = room.defense.authors.view();
  return json(authorship(room.doc(), view.authorOf, view.authors));
}
