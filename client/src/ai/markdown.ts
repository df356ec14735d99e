/**
 * The model's answer is untrusted text. It becomes document content only through the
 * shared Markdown reader (shared/markdown.ts), the same one the server's import uses:
 * Markdown → Tiptap JSON under the parse budget (raw HTML is parsed by the schema's own
 * rules in an inert DOMParser document, so scripts and handlers never survive) → the
 * schema normalizer (links and images keep only addresses on the shared allowlist,
 * blocks such as an image on its own line or a table stay blocks) → a checked node,
 * without marks of identity: an answer holding `<ins data-id=… data-author=…>` or
 * `<span data-thread-id=…>` must not become someone's suggestion or move a thread's
 * anchor (shared/identity-marks.ts).
 */
import type { Node as PMNode, Schema } from "@tiptap/pm/model";
import { withoutIdentityMarks } from "../../../shared/identity-marks";
import { MarkdownReader } from "../../../shared/markdown";

const readers = new WeakMap<Schema, MarkdownReader>();

/** Also used on every streamed prefix: unfinished Markdown (an open `**`) parses as
 * plain text until it closes, so the preview never shows broken markup for long. Never
 * throws: whatever the answer holds, the result fits `schema`. */
export function markdownToDoc(markdown: string, schema: Schema): PMNode {
  let reader = readers.get(schema);
  if (!reader) {
    reader = new MarkdownReader(schema);
    readers.set(schema, reader);
  }
  const doc = schema.nodeFromJSON(reader.parse(markdown));
  const content = withoutIdentityMarks(doc.content);
  return content === doc.content ? doc : doc.copy(content);
}
