/** Calls to the version-history API, answers checked with the shared zod shapes. */
import {
  restoreResponseSchema,
  versionListSchema,
  versionSchema,
  type RestoreResponse,
  type Version,
} from "../../../shared/versions";

export class HistoryError extends Error {}

async function call(docId: string, token: string, path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`/api/docs/${docId}/versions${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) },
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = typeof body === "object" && body !== null && "message" in body ? String(body.message) : `HTTP ${res.status}`;
    throw new HistoryError(message);
  }
  return body;
}

function parsed<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new HistoryError("The server answered with an unexpected shape");
  return r.data;
}

export async function listVersions(docId: string, token: string): Promise<Version[]> {
  return parsed(versionListSchema, await call(docId, token, ""));
}

/** A version's content as ProseMirror JSON (what the preview editor renders). */
export async function versionContent(docId: string, token: string, versionId: string): Promise<unknown> {
  return call(docId, token, `/${versionId}?format=json`);
}

export async function nameVersion(docId: string, token: string, name: string): Promise<Version> {
  return parsed(versionSchema, await call(docId, token, "", { method: "POST", body: JSON.stringify({ name }) }));
}

/** Client-mode restore: the server records a checkpoint of the current state and returns
 * the version's content; the caller applies it in the editor as the user's own change. */
export async function prepareRestore(docId: string, token: string, versionId: string): Promise<RestoreResponse> {
  return parsed(
    restoreResponseSchema,
    await call(docId, token, `/${versionId}/restore`, { method: "POST", body: JSON.stringify({ mode: "client" }) }),
  );
}
