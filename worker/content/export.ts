/** Turns the authoritative Y.Doc into Markdown, HTML, plain text or ProseMirror JSON.
 * The content is read through the shared tolerant reader (shared/content.ts), so
 * every serializer sees a document that fits the schema, whatever is stored: unknown or
 * hostile nodes are gone or text, nesting is bounded, and every string is well-formed
 * (half an emoji stored before titles and text were checked becomes U+FFFD). Then
 * Tiptap's own serializers over the same schema, with Quire's escaping for links,
 * images and code (shared/schema.ts). A large document is exported a piece at a time
 * (export-pieces.ts). */
import type { JSONContent } from "@tiptap/core";
import { renderToHTMLString } from "@tiptap/static-renderer/pm/html-string";
import type * as Y from "yjs";
import { YDOC_CONTENT_FIELD, type ExportFormat } from "../../shared/api";
import { COMMENT_MARK } from "../../shared/comments";
import { DELETION_MARK, INSERTION_MARK } from "../../shared/schema-suggestion";
import { readFragment } from "../../shared/content";
import { ContentNormalizer } from "../../shared/content-normalize";
import { markdownWriter } from "../../shared/markdown";
import { editorSchema, schemaExtensions } from "../../shared/schema";
import { wellFormed } from "../../shared/text";
import { errorMessage, log } from "../lib/log";

export type PMNode = JSONContent;

/** How exports treat suggestions: as if accepted (the default: suggested insertions
 * out, suggested deletions in), or with every suggested text included. */
export type SuggestionView = "accepted" | "include";

/** The reader for exports: the shared one, with every string made well-formed. */
let exportNormalizer: ContentNormalizer | null = null;
export const exportReader = () => (exportNormalizer ??= new ContentNormalizer(editorSchema(), { mapString: wellFormed }));

/** The document as exports see it: comment anchors left out (threads are not
 * content), suggestions resolved as `view` says, and their marks left out. */
export function docToJson(doc: Y.Doc, view: SuggestionView = "accepted"): JSONContent {
  const json = exportReader().docJson(readFragment(doc.getXmlFragment(YDOC_CONTENT_FIELD)));
  return asViewed(json, view);
}

export function asViewed(json: JSONContent, view: SuggestionView): JSONContent {
  // Most content has no review marks: no copies then (a large export's garbage is what
  // makes the isolate pause for collection).
  if (!hasMark(json, LEFT_OUT_MARKS)) return json;
  return withoutMarks(view === "accepted" ? withoutSuggestedText(json) : json, LEFT_OUT_MARKS);
}

function hasMark(node: JSONContent, names: ReadonlySet<string>): boolean {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.marks?.some((m) => names.has(m.type))) return true;
    if (n.content) stack.push(...n.content);
  }
  return false;
}

/** Content as exports and AI input read it: suggestions as accepted, no review marks. */
export const acceptedJson = (json: JSONContent): JSONContent => withoutMarks(withoutSuggestedText(json), LEFT_OUT_MARKS);

/** Marks no export carries. */
const LEFT_OUT_MARKS = new Set([COMMENT_MARK, INSERTION_MARK, DELETION_MARK]);

/** A copy without the text of suggested insertions: the document as it stands before
 * any suggestion is taken (suggested insertions out, suggested deletions still in). */
export function withoutSuggestedText(node: JSONContent): JSONContent {
  const root: JSONContent = { ...node };
  const stack: JSONContent[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (!n.content) continue;
    n.content = n.content.filter((c) => !(c.type === "text" && c.marks?.some((m) => m.type === INSERTION_MARK))).map((c) => ({ ...c }));
    stack.push(...n.content);
  }
  return root;
}

/** A copy of `node` without marks of the given types (iterative: deep lists exist). */
export function withoutMarks(node: JSONContent, names: ReadonlySet<string>): JSONContent {
  const root: JSONContent = { ...node };
  const stack: JSONContent[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.marks) {
      const kept = n.marks.filter((m) => !names.has(m.type));
      if (kept.length > 0) n.marks = kept;
      else delete n.marks;
    }
    if (n.content) {
      n.content = n.content.map((c) => ({ ...c }));
      stack.push(...n.content);
    }
  }
  return root;
}

/** Containers whose children are blocks, and the separator between those blocks
 * (a blank line between paragraphs, as Tiptap's getText does; one line between items;
 * a tab between table cells, one line per row). */
const CONTAINERS: Record<string, string> = {
  doc: "\n\n",
  blockquote: "\n\n",
  bulletList: "\n",
  orderedList: "\n",
  taskList: "\n",
  listItem: "\n",
  taskItem: "\n",
  table: "\n",
  tableRow: "\t",
  tableCell: " ",
  tableHeader: " ",
};

/** Plain text. Recursion is bounded: the JSON comes from the reader, whose nesting is
 * at most MAX_CONTENT_DEPTH. */
export function jsonToText(node: JSONContent): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  if (node.type === "image") return typeof node.attrs?.alt === "string" ? node.attrs.alt : "";
  const children = (node.content ?? []).map(jsonToText);
  const sep = CONTAINERS[node.type ?? ""];
  return sep === undefined ? children.join("") : children.join(sep);
}

function render(json: JSONContent, format: ExportFormat, title: string): { body: string; contentType: string } {
  switch (format) {
    case "json":
      return { body: JSON.stringify(json), contentType: "application/json; charset=utf-8" };
    case "md":
      return { body: markdownWriter().serialize(json), contentType: "text/markdown; charset=utf-8" };
    case "txt":
      return { body: `${jsonToText(json)}\n`, contentType: "text/plain; charset=utf-8" };
    case "html":
      // The static renderer escapes text and attributes; links and images render their
      // address only when it passes the allowlist (shared/schema.ts).
      return htmlPage(renderToHTMLString({ extensions: schemaExtensions(), content: json }), title);
  }
}

export const htmlHead = (title: string) =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(wellFormed(title))}</title></head><body>`;
export const HTML_TAIL = "</body></html>\n";

function htmlPage(bodyHtml: string, title: string): { body: string; contentType: string } {
  return { body: `${htmlHead(title)}${bodyHtml}${HTML_TAIL}`, contentType: "text/html; charset=utf-8" };
}

export function exportDoc(doc: Y.Doc, format: ExportFormat, title: string): { body: string; contentType: string } {
  return exportJson(docToJson(doc), format, title);
}

/** The same from content already read (and possibly rewritten, see files/export-route.ts). */
export function exportJson(json: JSONContent, format: ExportFormat, title: string): { body: string; contentType: string } {
  try {
    return render(json, format, title);
  } catch (err) {
    // A serializer bug must not cost the reader their document: give its text instead.
    log("error", "export-fallback", { format, error: errorMessage(err) });
    const plain = jsonToText(json);
    if (format === "html") return htmlPage(`<pre>${escapeHtml(plain)}</pre>`, title);
    return { body: `${plain}\n`, contentType: "text/plain; charset=utf-8" };
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
