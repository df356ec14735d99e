/**
 * Markdown → content that fits the schema, never losing text. Used by the server's
 * import (in pieces, see worker/content/markdown.ts) and by the browser for AI answers
 * (whole, they are short). Tiptap's Markdown parser does the reading, under the budget
 * of markdown-budget.ts; its output, which can hold nested arrays, bare text or inline
 * images where blocks belong, goes through ContentNormalizer, and the result is checked
 * (`schema.nodeFromJSON(json).check()`) before anyone uses it.
 */
import type { AnyExtension, JSONContent } from "@tiptap/core";
import { MarkdownManager } from "@tiptap/markdown";
import type { Schema } from "@tiptap/pm/model";
import type { marked } from "marked";
import { ContentNormalizer } from "./content-normalize";
import { createBudgetMarked, holdBack, withInlineBudget, type HeldBack } from "./markdown-budget";
import { editorSchema, schemaExtensions } from "./schema";
import { nodeJson } from "./schema-suggestion";

export class MarkdownReader {
  private readonly manager: MarkdownManager;

  constructor(
    private readonly schema: Schema,
    extensions: AnyExtension[] = schemaExtensions(),
  ) {
    this.manager = new MarkdownManager({ extensions, marked: createBudgetMarked() as unknown as typeof marked });
  }

  /** Applies the line caps; parse the result's `source` (whole or in pieces). */
  prepare(markdown: string): HeldBack {
    return holdBack(markdown);
  }

  /** One piece (of `prepare(...).source`) as blocks that fit the schema, held-back
   * text restored. A piece the parser cannot read at all (it throws, say on a stack
   * overflow) is kept as plain paragraphs of its text. */
  parsePiece(piece: string, held: HeldBack): JSONContent[] {
    let raw: unknown[];
    try {
      raw = withInlineBudget(() => this.manager.parse(piece).content ?? []);
    } catch {
      raw = piece.split(/\n{2,}/).map((p) => ({ type: "paragraph", content: [{ type: "text", text: p }] }));
    }
    const doc = new ContentNormalizer(this.schema, { mapString: held.restore }).doc(raw);
    // An empty piece normalizes to one empty paragraph; it adds nothing.
    if (doc.childCount === 1 && doc.firstChild!.type.name === "paragraph" && doc.firstChild!.content.size === 0 && piece.trim() === "")
      return [];
    return nodeJson(doc).content ?? [];
  }

  /** Text whose placeholder the parser swallowed (in a construct that drops its text),
   * as paragraphs to append after all pieces, so it is still not lost. */
  leftovers(held: HeldBack): JSONContent[] {
    return held.unrestored().map((text) => ({ type: "paragraph", content: [{ type: "text", text }] }));
  }

  /** All at once (short input: AI answers, tests), as a checked document. */
  parse(markdown: string): JSONContent {
    const held = this.prepare(markdown);
    const blocks = [...this.parsePiece(held.source, held), ...this.leftovers(held)];
    return checked(this.schema, { type: "doc", content: blocks.length > 0 ? blocks : [{ type: "paragraph" }] });
  }
}

function checked(schema: Schema, json: JSONContent): JSONContent {
  schema.nodeFromJSON(json).check();
  return json;
}

let writer: MarkdownManager | null = null;
let reader: MarkdownReader | null = null;

/** Tiptap's Markdown serializer over the editor schema (exports, AI input), built once. */
export function markdownWriter(): MarkdownManager {
  writer ??= new MarkdownManager({ extensions: schemaExtensions() });
  return writer;
}

/** The Markdown reader over the editor schema (imports), built once. */
export function markdownReader(): MarkdownReader {
  reader ??= new MarkdownReader(editorSchema());
  return reader;
}
