/**
 * GET /authorship (any working link): who wrote each run of the document as it stands,
 * from the server's records of who introduced each Yjs client id (room/authors.ts) and
 * the Y.Doc's items (content/authorship.ts). Each answer walks the whole document, so
 * it is rate limited per link (link-rates.ts).
 */
import { bearerToken } from "../access/auth";
import { authorship } from "../content/authorship";
import { json, jsonError } from "../lib/http";
import type { RoomContext } from "../room/context";
import { LinkRates, tooMany } from "./link-rates";

export class AuthorshipRoute {
  private readonly rates = new LinkRates();

  constructor(private readonly room: Pick<RoomContext, "links" | "doc" | "defense">) {}

  async answer(request: Request): Promise<Response> {
    const token = bearerToken(request);
    if (!token) return jsonError(401, "unauthorized", "Send Authorization: Bearer <a link's token>");
    const grant = await this.room.links.grantFor(token);
    if (!grant) return jsonError(403, "forbidden", "This token does not open this document");
    const waitMs = this.rates.take(grant, "authorship");
    if (waitMs > 0) return tooMany(waitMs, `Too many authorship reads from this link; try again in ${Math.ceil(waitMs / 1000)} s`);
    const view = this.room.defense.authors.view();
    return json(authorship(this.room.doc(), view.authorOf, view.authors));
  }
}
