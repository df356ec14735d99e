/** The parts of a threads request every route reads the same way: the bearer token's
 * grant and role, whether that link is still current, and the JSON body. */
import { MAX_API_BODY_BYTES } from "../../shared/limits";
import { type Role, canComment } from "../../shared/protocol";
import { bearerToken } from "../access/auth";
import { type Grant, type Links, roleOfGrant } from "../access/links";
import { readJson } from "../lib/body";
import { badRequest, jsonError } from "../lib/http";

export type Ctx = { grant: Grant; role: Role };

type Schema<T> = {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: Parameters<typeof badRequest>[0] };
};

export class ThreadRequests {
  constructor(private readonly links: Links) {}

  async authorize(request: Request, write: boolean): Promise<Ctx | Response> {
    const token = bearerToken(request);
    if (!token) return jsonError(401, "unauthorized", "Send Authorization: Bearer <token>");
    const grant = await this.links.grantFor(token);
    if (!grant) return jsonError(403, "forbidden", "This token does not open this document");
    const role = roleOfGrant(grant);
    if (write && !canComment(role)) return jsonError(403, "forbidden", "A view link cannot comment");
    return { grant, role };
  }

  /** After an await: the link may have been reset meanwhile. */
  stale(ctx: Ctx): Response | null {
    return this.links.isCurrent(ctx.grant) ? null : jsonError(403, "forbidden", "This link no longer works");
  }

  async body<T>(request: Request, schema: Schema<T>): Promise<T | Response> {
    return this.read(request, schema, false);
  }

  /** A body that may be left out (a DELETE by the owner). */
  async optionalBody<T>(request: Request, schema: Schema<T>): Promise<T | Response> {
    return this.read(request, schema, true);
  }

  private async read<T>(request: Request, schema: Schema<T>, optional: boolean): Promise<T | Response> {
    const read = await readJson(request, MAX_API_BODY_BYTES);
    if (!read.ok) return read.response;
    if (read.value === undefined && !optional) return jsonError(400, "bad-json", "A JSON body is required");
    const parsed = schema.safeParse(read.value ?? {});
    return parsed.success ? parsed.data : badRequest(parsed.error);
  }
}
