/** GET /ai/activity (owner only): the document's AI calls, newest first (ai/activity.ts). */
import type { AiActivityAnswer } from "../../shared/ai-activity";
import type { Links } from "../access/links";
import type { AiActivity } from "../ai/activity";
import { json, jsonError } from "../lib/http";

/** The part of the room (worker/room/room.ts) the route reads. */
export interface AiActivityHost {
  readonly links: Links;
  readonly aiActivity: AiActivity;
}

export async function aiActivityRoute(request: Request, h: AiActivityHost): Promise<Response> {
  const role = await h.links.authorize(request);
  if (role instanceof Response) return role;
  if (role !== "owner") return jsonError(403, "forbidden", "Only the owner sees the document's AI activity");
  const out: AiActivityAnswer = { calls: h.aiActivity.list() };
  return json(out);
}
