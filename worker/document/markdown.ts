/**
 * Content from outside: Markdown → the editor schema → Yjs, on the server. Parsing
 * goes through Tiptap's own Markdown parser and the shared schema, so whatever lands
 * in the document is exactly what the editor could have produced (unknown syntax
 * degrades to text) and links keep only the targets the editor would accept.
 *
 * The result is an ordinary Yjs change applied by the caller inside one transaction,
 * so it is stored by the durable append listener and broadcast like any edit.
 */
import { getSchema, type JSONContent } from "@tiptap/core";
import { MarkdownManager } from "@tiptap/markdown";
import type { Schema } from "@tiptap/pm/model";
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { isAllowedHref, schemaExtensions } from "../../shared/schema";
import { splitMarkdown } from "./markdown-chunks";

let parser: MarkdownManager | null = null;
let schema: Schema | null = null;

/** Blocks parsed from Markdown, held in a scratch Y.Doc until they are copied in. */
export interface ParsedBlocks {
  blocks: (Y.XmlElement | Y.XmlText)[];
  /** Encoded size of the new content: the document size guard compares against it. */
  bytes: number;
}

/** Parses Markdown into Yjs blocks. Throws if the result does not fit the schema. */
export function parseMarkdown(markdown: string): ParsedBlocks {
  parser ??= new MarkdownManager({ extensions: schemaExtensions() });
  schema ??= getSchema(schemaExtensions());
  const content = splitMarkdown(markdown).flatMap((piece) => parser!.parse(piece).content ?? []);
  const json = dropUnsafeLinks({ type: "doc", content });
  const scratch = new Y.Doc();
  const fragment = scratch.getXmlFragment("import");
  // Node.fromJSON inside checks every node and mark against the schema.
  prosemirrorJSONToYXmlFragment(schema, { ...json, type: "doc", content: json.content ?? [] }, fragment);
  const blocks = fragment.toArray().filter((b): b is Y.XmlElement | Y.XmlText => b instanceof Y.XmlElement || b instanceof Y.XmlText);
  return { blocks, bytes: Y.encodeStateAsUpdate(scratch).byteLength };
}

/** The editor checks link targets when links are pasted or typed; Markdown arrives
 * as JSON and skips that, so `[x](javascript:...)` would be stored as a live link. */
function dropUnsafeLinks(node: JSONContent): JSONContent {
  const marks = node.marks?.filter((m) => m.type !== "link" || isAllowedHref(String(m.attrs?.href ?? "")));
  return {
    ...node,
    ...(node.marks ? { marks } : {}),
    ...(node.content ? { content: node.content.map(dropUnsafeLinks) } : {}),
  };
}

/** Adds parsed blocks to `target` (call inside a transaction). `replace` removes what
 * was there first. The blocks are cloned: Yjs types cannot move between documents. */
export function insertBlocks(target: Y.XmlFragment, parsed: ParsedBlocks, mode: "append" | "replace"): void {
  if (mode === "replace" && target.length > 0) target.delete(0, target.length);
  if (parsed.blocks.length === 0) return;
  target.insert(target.length, parsed.blocks.map((b) => b.clone()));
}
