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
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import {
  DELETION_MARK,
  FORMATTING_MARK,
  INSERTION_MARK,
  nodeJson,
  SUGGESTION_MARKS,
  SUGGESTION_NODE_ATTRS,
} from "../../shared/schema-suggestion";
import { originalDoc, withSuggestionsShown } from "../../shared/suggestion-view";
import { readFragment } from "../../shared/content";
import { ContentNormalizer } from "../../shared/content-normalize";
import { markdownWriter } from "../../shared/markdown";
import { editorSchema, schemaExtensions } from "../../shared/schema";
import { wellFormed } from "../../shared/text";
import { type AiDisclosure, htmlDisclosure } from "./ai-disclosure";
import { errorMessage, log } from "../lib/log";

export type PMNode = JSONContent;

/** How exports treat suggestions: as if none were taken yet (the default: the
 * accepted text only, shared/suggestion-view.ts), or with every suggestion shown. */
export type SuggestionView = "accepted" | "include";

/** The reader for exports: the shared one, with every string made well-formed. */
let exportNormalizer: ContentNormalizer | null = null;
export const exportReader = () => (exportNormalizer ??= new ContentNormalizer(editorSchema(), { mapString: wellFormed }));

/** The document as exports see it: comment anchors left out (threads are not
 * content), suggestions resolved as `view` says, and their marks and records left out. */
export function docToJson(doc: Y.Doc, view: SuggestionView = "accepted"): JSONContent {
  return viewedJson(exportReader().doc(readFragment(doc.getXmlFragment(YDOC_CONTENT_FIELD))), view);
}

/** Content read by exportReader, as exports see it (see docToJson). */
export function viewedJson(pm: ProseMirrorNode, view: SuggestionView): JSONContent {
  // Most content has no review marks: no second copy then (a large export's garbage is
  // what makes the isolate pause for collection).
  if (!hasReview(pm)) return nodeJson(pm);
  return withoutMarks(nodeJson(view === "accepted" ? originalDoc(pm) : withSuggestionsShown(pm)), LEFT_OUT_MARKS);
}

const REVIEW_MARKS = new Set([COMMENT_MARK, ...SUGGESTION_MARKS]);

function hasReview(pm: ProseMirrorNode): boolean {
  let found = false;
  pm.descendants((n) => {
    if (found) return false;
    if (n.marks.some((m) => REVIEW_MARKS.has(m.type.name)) || SUGGESTION_NODE_ATTRS.some((a) => n.attrs[a] != null)) found = true;
    return !found;
  });
  return found;
}

/** Content as exports and AI input read it (any piece of a document, even text alone
 * under `doc`): suggestions as not yet taken, no review marks. */
export function acceptedJson(json: JSONContent): JSONContent {
  try {
    return withoutMarks(nodeJson(originalDoc(editorSchema().nodeFromJSON(json))), LEFT_OUT_MARKS);
  } catch {
    return withoutMarks(json, new Set([...LEFT_OUT_MARKS, INSERTION_MARK, DELETION_MARK, FORMATTING_MARK]));
  }
}

/** Marks no export carries (suggestion marks are gone with the view). */
const LEFT_OUT_MARKS = new Set([COMMENT_MARK]);

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

export const htmlHead = (title: string, ai: AiDisclosure | null = null) =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(wellFormed(title))}</title>${ai ? htmlDisclosure(ai, escapeHtml) : ""}</head><body>`;
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
