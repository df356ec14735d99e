/** Calls to the document management API. Tokens go in the Authorization header,
 * never in a URL, so they stay out of logs and history. */
import { docInfoSchema, patchDocResponseSchema, type DocInfo, type PatchDocResponse } from "../../../shared/api";
import { issuedLinkSchema, type IssuedLink, type PatchDocRequest, type ShareLinkKind } from "../../../shared/sharing";

/** A failed call, with the HTTP status so callers can tell "gone" from "forbidden". */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(
  path: string,
  token: string,
  init: { method: string; body?: unknown },
  parse: (v: unknown) => T,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch {
    throw new ApiError(0, "Could not reach the server. Check your connection and try again.");
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = (body as { message?: unknown } | null)?.message;
    throw new ApiError(res.status, typeof message === "string" ? message : `HTTP ${res.status}`);
  }
  return parse(body);
}

export const getDocInfo = (id: string, token: string): Promise<DocInfo> =>
  call(`/api/docs/${id}`, token, { method: "GET" }, (v) => docInfoSchema.parse(v));

export const patchDoc = (id: string, token: string, patch: PatchDocRequest): Promise<PatchDocResponse> =>
  call(`/api/docs/${id}`, token, { method: "PATCH", body: patch }, (v) => patchDocResponseSchema.parse(v));

export const rotateLink = (id: string, token: string, kind: ShareLinkKind): Promise<IssuedLink> =>
  call(`/api/docs/${id}/links/${kind}/rotate`, token, { method: "POST" }, (v) => issuedLinkSchema.parse(v));

export const deleteDoc = (id: string, token: string): Promise<void> =>
  call(`/api/docs/${id}`, token, { method: "DELETE" }, () => undefined);
