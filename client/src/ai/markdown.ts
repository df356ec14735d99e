/**
 * The model's answer is untrusted text. It becomes document content only through
 * the editor schema: Markdown → Tiptap JSON (raw HTML is parsed by the schema's own
 * rules in an inert DOMParser document, so scripts and handlers never survive), then
 * unsafe link targets are dropped, then ProseMirror checks every node.
 */
import type { JSONContent } from "@tiptap/core";
import { MarkdownManager } from "@tiptap/markdown";
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import { schemaExtensions } from "../../../shared/schema";

let manager: MarkdownManager | null = null;

/** Same rule as the schema's link extension: only web, mail and in-page links. */
const SAFE_HREF = /^(https?:|mailto:|#|\/(?!\/))/i;

function sanitize(node: JSONContent): JSONContent {
  const marks = node.marks?.filter((m) => m.type !== "link" || SAFE_HREF.test(String(m.attrs?.href ?? "")));
  return {
    ...node,
    ...(node.marks ? { marks } : {}),
    ...(node.content ? { content: node.content.map(sanitize) } : {}),
  };
}

/** Also used on every streamed prefix: unfinished Markdown (an open `**`) parses as
 * plain text until it closes, so the preview never shows broken markup for long. */
export function markdownToDoc(markdown: string, schema: Schema): PMNode {
  manager ??= new MarkdownManager({ extensions: schemaExtensions() });
  let json: JSONContent;
  try {
    json = manager.parse(markdown);
  } catch {
    json = { type: "doc", content: [{ type: "paragraph", content: markdown ? [{ type: "text", text: markdown }] : [] }] };
  }
  const doc = schema.nodeFromJSON(sanitize({ ...json, type: "doc", content: json.content?.length ? json.content : [{ type: "paragraph" }] }));
  doc.check();
  return doc;
}
