/** Helpers for tests that work with the editor's content shape (XmlFragment "default"
 * of paragraphs, as Tiptap writes it) and with the HTTP API. */
import { SELF } from "cloudflare:test";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { ORIGIN } from "./client";

export function paragraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(YDOC_CONTENT_FIELD)
    .toArray()
    .map((n) => (n instanceof Y.XmlElement ? n.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : "")).join("") : ""));
}

export function appendParagraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  const f = doc.getXmlFragment(YDOC_CONTENT_FIELD);
  f.insert(f.length, [p]);
}

/** The XmlText of paragraph `i` (created, with any before it, if missing). */
export function paragraphText(doc: Y.Doc, i = 0): Y.XmlText {
  const f = doc.getXmlFragment(YDOC_CONTENT_FIELD);
  while (f.length <= i) appendParagraph(doc, "");
  return (f.get(i) as Y.XmlElement).get(0) as Y.XmlText;
}

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
