/** Calls to the management API through the real Worker (SELF), for workerd tests. */
import { SELF, env, runInDurableObject } from "cloudflare:test";
import { ORIGIN } from "./client";

export interface ApiResult {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** `body` is sent as JSON unless it is already a string (to send junk). */
export async function api(method: string, path: string, token: string | null, body?: unknown): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await SELF.fetch(`${ORIGIN}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export const docStub = (id: string) => env.Document.getByName(id);

/** Every table in the document's SQLite (excluding SQLite's and Cloudflare's own) and its row count. */
export function sqliteTables(id: string): Promise<Record<string, number>> {
  return runInDurableObject(docStub(id), (_i, state) => {
    const out: Record<string, number> = {};
    const tables = state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
      .toArray();
    for (const t of tables) {
      const name = String(t.name);
      out[name] = Number(state.storage.sql.exec(`SELECT count(*) AS n FROM "${name}"`).one().n);
    }
    return out;
  });
}

export async function r2Keys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.SNAPSHOTS.list({ prefix, cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}
