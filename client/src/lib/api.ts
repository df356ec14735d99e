/** Calls to Quire's HTTP API. */
import { createDocResponseSchema, type CreateDocResponse } from "../../../shared/api";

export async function createDocument(opts: { title?: string; markdown?: string } = {}): Promise<CreateDocResponse> {
  const res = await fetch("/api/docs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(opts),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `Could not create a document (HTTP ${res.status})`);
  }
  const parsed = createDocResponseSchema.safeParse(await res.json());
  if (!parsed.success) throw new Error("The server answered with an unexpected shape");
  return parsed.data;
}
