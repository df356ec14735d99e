/** /api/docs handlers in the Worker: validate, then hand over to the document's DO. */
import { createDocRequestSchema, shareUrl, type CreateDocResponse } from "../../shared/api";
import { randomId } from "../../shared/ids";
import { MAX_IMPORT_BODY_BYTES } from "../../shared/limits";
import { BadJson, ORIGIN_HEADER, json, jsonError, readJson } from "../lib/http";

const DOC_ID_BYTES = 16; // 128 bits: unguessable, and 22 URL-safe characters.

export function documentStub(env: Env, id: string): DurableObjectStub {
  return env.Document.getByName(id);
}

export async function createDoc(request: Request, env: Env, origin: string): Promise<Response> {
  let body: unknown;
  try {
    body = await readJson(request, MAX_IMPORT_BODY_BYTES);
  } catch (err) {
    return jsonError(400, "bad-json", err instanceof BadJson ? err.message : "Invalid body");
  }
  const parsed = createDocRequestSchema.safeParse(body ?? {});
  if (!parsed.success) {
    return jsonError(400, "bad-request", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  }
  const id = randomId(DOC_ID_BYTES);
  const res = await documentStub(env, id).fetch("https://document/create", {
    method: "POST",
    body: JSON.stringify(parsed.data),
  });
  if (res.status !== 201) return res;
  const made = (await res.json()) as { title: string; ownerToken: string; editToken: string; viewToken: string };
  const out: CreateDocResponse = {
    id,
    title: made.title,
    ownerToken: made.ownerToken,
    editToken: made.editToken,
    viewToken: made.viewToken,
    ownerUrl: shareUrl(origin, id, "owner", made.ownerToken),
    editUrl: shareUrl(origin, id, "edit", made.editToken),
    viewUrl: shareUrl(origin, id, "view", made.viewToken),
  };
  return json(out, 201);
}

export function exportDoc(request: Request, env: Env, id: string, url: URL): Promise<Response> {
  const target = new URL("https://document/export");
  target.search = url.search;
  const headers = new Headers();
  const auth = request.headers.get("authorization");
  if (auth) headers.set("authorization", auth);
  // Exports write absolute addresses for the document's images.
  headers.set(ORIGIN_HEADER, url.origin);
  return documentStub(env, id).fetch(target, { headers });
}
