/** Helpers for tests that work with the editor's content shape (XmlFragment "default"
 * of paragraphs, as Tiptap writes it) and with the HTTP API. */
import { SELF } from "cloudflare:test";
import { ORIGIN } from "./client";

export { appendParagraph, paragraphText, paragraphs } from "./ydoc";

export async function api(
  path: string,
  opts: { token?: string | null; method?: string; body?: unknown; raw?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  return SELF.fetch(`${ORIGIN}${path}`, { method: opts.method ?? (body === undefined ? "GET" : "POST"), headers, body });
}

export async function apiJson<T>(path: string, opts: Parameters<typeof api>[1] = {}): Promise<T> {
  const res = await api(path, opts);
  if (!res.ok) throw new Error(`${opts.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
