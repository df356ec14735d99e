/** Turns the authoritative Y.Doc into Markdown, HTML, plain text or ProseMirror JSON,
 * through Tiptap's own serializers over the shared schema (no hand-written regexes). */
import { MarkdownManager } from "@tiptap/markdown";
import { renderToHTMLString } from "@tiptap/static-renderer/pm/html-string";
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { YDOC_CONTENT_FIELD, isExportFormat, type ExportFormat } from "../../shared/api";
import type { Role } from "../../shared/protocol";
import { jsonError, text } from "../http";
import { schemaExtensions } from "../../shared/schema";

export interface PMNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: PMNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

let markdown: MarkdownManager | null = null;
const extensions = schemaExtensions();

export function docToJson(doc: Y.Doc): PMNode {
  const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(YDOC_CONTENT_FIELD)) as PMNode;
  return { ...json, type: "doc", content: json.content ?? [] };
}

/** Containers whose children are blocks, and the separator between those blocks
 * (a blank line between paragraphs, as Tiptap's getText does; one line between items). */
const CONTAINERS: Record<string, string> = {
  doc: "\n\n",
  blockquote: "\n\n",
  bulletList: "\n",
  orderedList: "\n",
  taskList: "\n",
  listItem: "\n",
  taskItem: "\n",
};

export function jsonToText(node: PMNode): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  const children = (node.content ?? []).map(jsonToText);
  const sep = CONTAINERS[node.type];
  return sep === undefined ? children.join("") : children.join(sep);
}

export function exportDoc(
  doc: Y.Doc,
  format: ExportFormat,
  title: string,
): { body: string; contentType: string } {
  const json = docToJson(doc);
  switch (format) {
    case "json":
      return { body: JSON.stringify(json), contentType: "application/json; charset=utf-8" };
    case "md":
      markdown ??= new MarkdownManager({ extensions });
      return { body: markdown.serialize(json), contentType: "text/markdown; charset=utf-8" };
    case "txt":
      return { body: `${jsonToText(json)}\n`, contentType: "text/plain; charset=utf-8" };
    case "html": {
      // The static renderer escapes text and attributes and drops disallowed link
      // protocols, so pasted payloads stay inert in the exported file.
      const bodyHtml = renderToHTMLString({ extensions, content: json });
      const safeTitle = escapeHtml(title);
      return {
        body: `<!doctype html>\n<html><head><meta charset="utf-8"><title>${safeTitle}</title></head><body>${bodyHtml}</body></html>\n`,
        contentType: "text/html; charset=utf-8",
      };
    }
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** GET /export?format=…, for any link's holder (`role` from Links.authorize). */
export function exportResponse(url: URL, role: Role | Response, doc: Y.Doc, title: string): Response {
  if (role instanceof Response) return role;
  const format = url.searchParams.get("format") ?? "md";
  if (!isExportFormat(format)) return jsonError(400, "bad-format", "format must be md, html, txt or json");
  const { body, contentType } = exportDoc(doc, format, title);
  return text(body, contentType);
}
