/** POST /api/docs in the Worker: limit, validate, pick an id, then hand over to the new document's DO. */
import { createDocRequestSchema, shareUrl, type CreateDocResponse } from "../../shared/api";
import { randomId } from "../../shared/ids";
import { MAX_IMPORT_BODY_BYTES } from "../../shared/limits";
import { dropBody, readJson } from "../lib/body";
import { badRequest, json } from "../lib/http";
import { limitCreate } from "./create-limit";
import { callDoc } from "./forward";

const DOC_ID_BYTES = 16; // 128 bits: unguessable, and 22 URL-safe characters.

export async function createDoc(request: Request, env: Env, origin: string): Promise<Response> {
  // Before the body is read: a limited address costs one small DO call, and its body
  // is dropped unparsed.
  const limited = await limitCreate(request, env);
  if (limited) {
    await dropBody(request);
    return limited;
  }
  const body = await readJson(request, MAX_IMPORT_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = createDocRequestSchema.safeParse(body.value ?? {});
  if (!parsed.success) return badRequest(parsed.error);
  const id = randomId(DOC_ID_BYTES);
  const res = await callDoc(env, id, "https://document/create", {
    method: "POST",
    body: JSON.stringify(parsed.data),
  });
  if (res.status !== 201) return res;
  const made = (await res.json()) as {
    title: string;
    ownerToken: string;
    editToken: string;
    commentToken: string;
    viewToken: string;
  };
  const out: CreateDocResponse = {
    id,
    title: made.title,
    ownerToken: made.ownerToken,
    editToken: made.editToken,
    commentToken: made.commentToken,
    viewToken: made.viewToken,
    ownerUrl: shareUrl(origin, id, "owner", made.ownerToken),
    editUrl: shareUrl(origin, id, "edit", made.editToken),
    commentUrl: shareUrl(origin, id, "comment", made.commentToken),
    viewUrl: shareUrl(origin, id, "view", made.viewToken),
  };
  return json(out, 201);
}
