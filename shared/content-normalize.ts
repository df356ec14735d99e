/**
 * Any tree that claims to be document content (Markdown parser output, a Y.XmlFragment
 * read by content.ts, an old stored document) → ProseMirror JSON that always passes
 * `schema.nodeFromJSON(json).check()`. Nothing is rendered or written from content that
 * did not come through here.
 *
 * - Unknown node types are unwrapped (their children are kept in place); unknown marks
 *   and attributes are dropped; attribute values go through shared/content-attrs.ts.
 * - Inline content found where blocks belong is wrapped in a paragraph; blocks found
 *   inside a paragraph split it (a block image on its own line stays a block); a node
 *   that fits nowhere as it is becomes its text.
 * - Nesting deeper than MAX_CONTENT_DEPTH is flattened into the blocks it holds.
 * - Nothing recurses without bound: recursion follows kept nesting (≤ the depth limit);
 *   unwrapping and flattening use explicit stacks, so a 20,000-deep input is fine.
 */
import type { JSONContent } from "@tiptap/core";
import type { Mark, Node as PMNode, NodeType, Schema } from "@tiptap/pm/model";
import { MARK_ATTR_RULES, nodeAttrRules, scalarRule } from "./content-attrs";
import { blocksOf, fitContent } from "./content-fit";
import { MAX_CONTENT_DEPTH } from "./limits";
import { nodeJson } from "./schema-suggestion";

/** What a node of some incoming tree may look like; every field is checked before use. */
export interface RawNode {
  type?: unknown;
  text?: unknown;
  attrs?: unknown;
  marks?: unknown;
  content?: unknown;
}

export interface NormalizeOptions {
  /** Applied to every text and string attribute (the Markdown budget restores the text it
   * held back from the parser this way). */
  mapString?: (s: string) => string;
}

/** Containers at this depth or deeper are flattened: what they hold may still be wrapped
 * by their parent (a table needs a row and a cell around a paragraph; content-fit.ts
 * wraps only textblocks and leaves), and must end up no deeper than MAX_CONTENT_DEPTH. */
const FLATTEN_DEPTH = MAX_CONTENT_DEPTH - 2;

/** Marks where an unwrapped unknown node began and ended. */
const BOUNDARY = Symbol("boundary");

/** Inline content of a textblock, where a block met inside it is a split point. */
type InlineItem = PMNode | { block: PMNode[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export class ContentNormalizer {
  private readonly mapString: (s: string) => string;

  constructor(
    private readonly schema: Schema,
    options: NormalizeOptions = {},
  ) {
    this.mapString = options.mapString ?? ((s) => s);
  }

  /** A whole document: `raw` is a doc node, or a bare list of its blocks. */
  doc(raw: unknown): PMNode {
    const content = isObject(raw) && raw.type === "doc" ? raw.content : raw;
    const doc = this.schema.topNodeType;
    const children = fitContent(this.schema, doc, this.children(content, 1));
    return doc.createChecked(null, children);
  }

  docJson(raw: unknown): JSONContent {
    return nodeJson(this.doc(raw));
  }

  private knownType(raw: RawNode): NodeType | null {
    if (typeof raw.type !== "string" || !Object.hasOwn(this.schema.nodes, raw.type)) return null;
    const type = this.schema.nodes[raw.type]!;
    return type === this.schema.topNodeType ? null : type;
  }

  /** Raw children in order, with arrays flattened and unknown nodes unwrapped. An
   * unwrapped node's content is set apart by `BOUNDARY`, so text from two unknown
   * blocks does not run together into one paragraph. */
  private *expand(content: unknown): Generator<RawNode | typeof BOUNDARY> {
    const stack: unknown[] = [content];
    while (stack.length > 0) {
      const item = stack.pop();
      if (item === BOUNDARY) {
        yield BOUNDARY;
      } else if (Array.isArray(item)) {
        for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
      } else if (isObject(item)) {
        if (item.type === "text" || this.knownType(item)) yield item;
        else if (item.content !== undefined) stack.push(BOUNDARY, item.content, BOUNDARY);
      }
    }
  }

  /** The blocks (and loose inline nodes) a container holds, each already valid. */
  private children(content: unknown, depth: number): PMNode[] {
    const out: PMNode[] = [];
    let inline: InlineItem[] = [];
    const flushInline = () => {
      if (inline.length > 0) out.push(...this.textblock(this.schema.nodes.paragraph!, inline));
      inline = [];
    };
    for (const raw of this.expand(content)) {
      if (raw === BOUNDARY) {
        flushInline();
        continue;
      }
      const type = this.knownType(raw);
      if (raw.type === "text" || type?.isInline) {
        inline.push(...this.inlineNodes([raw], this.schema.nodes.paragraph!));
        continue;
      }
      flushInline();
      out.push(...this.block(raw, type!, depth));
    }
    flushInline();
    return out;
  }

  /** One block: itself (valid), or what it turns into (split, flattened, text). */
  private block(raw: RawNode, type: NodeType, depth: number): PMNode[] {
    const attrs = this.attrs(type, raw.attrs);
    if (type.name === "image" && typeof attrs.src !== "string") return this.asText(raw);
    if (type.isTextblock) return this.textblock(type, this.inlineNodes(raw.content, type), attrs);
    if (type.isLeaf) return [type.create(attrs)];
    if (depth >= FLATTEN_DEPTH) return this.flatten(raw, depth);
    const content = fitContent(this.schema, type, this.children(raw.content, depth + 1));
    const node = type.createAndFill(attrs, content);
    return node ? [node] : content.flatMap((n) => blocksOf(n));
  }

  /** Inline content of a textblock: text and inline nodes. Blocks met inside split the
   * textblock: they are returned as `{ block }` markers in order. */
  private inlineNodes(content: unknown, parent: NodeType): InlineItem[] {
    const out: InlineItem[] = [];
    const stack: unknown[] = [content];
    while (stack.length > 0) {
      const item = stack.pop();
      if (Array.isArray(item)) {
        for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
        continue;
      }
      if (!isObject(item)) continue;
      if (item.type === "text") {
        const node = this.text(item, parent);
        if (node) out.push(node);
        continue;
      }
      const type = this.knownType(item);
      if (!type || type.isTextblock || (!type.isInline && !type.isLeaf)) {
        // Unknown wrappers and nested textblocks or containers: keep their inline
        // content here, in order (a block inside a paragraph is not valid anyway).
        if (item.content !== undefined) stack.push(item.content);
        continue;
      }
      if (type.isInline) {
        if (parent.contentMatch.matchType(type)) out.push(type.create(this.attrs(type, item.attrs)));
        else if (type.name === "hardBreak") {
          const br = this.text({ type: "text", text: "\n" }, parent);
          if (br) out.push(br);
        }
        continue;
      }
      // A leaf block (an image, a rule) inside a textblock: split around it.
      out.push({ block: this.block(item, type, 1) });
    }
    return out;
  }

  /** A textblock from inline content that may hold split markers: one or more blocks. */
  private textblock(type: NodeType, items: InlineItem[], attrs?: Record<string, unknown>): PMNode[] {
    const out: PMNode[] = [];
    let run: PMNode[] = [];
    let pending = true;
    const flush = (force: boolean) => {
      if (run.length === 0 && !force) return;
      const allowed = run.filter((n) => type.contentMatch.matchType(n.type));
      out.push(
        type.createChecked(
          attrs ?? null,
          allowed.map((n) => n.mark(n.marks.filter((m) => type.allowsMarkType(m.type)))),
        ),
      );
      run = [];
    };
    for (const item of items) {
      if ("block" in item) {
        flush(false);
        pending = false;
        out.push(...item.block);
      } else {
        run.push(item);
        pending = true;
      }
    }
    if (pending || out.length === 0) flush(true);
    return out;
  }

  private text(raw: RawNode, parent: NodeType): PMNode | null {
    if (typeof raw.text !== "string") return null;
    const text = this.mapString(raw.text);
    if (text === "") return null;
    return this.schema.text(
      text,
      this.marks(raw.marks).filter((m) => parent.allowsMarkType(m.type)),
    );
  }

  private marks(raw: unknown): Mark[] {
    if (!Array.isArray(raw)) return [];
    let set: readonly Mark[] = [];
    for (const m of raw) {
      const name = typeof m === "string" ? m : isObject(m) ? m.type : undefined;
      if (typeof name !== "string" || !Object.hasOwn(this.schema.marks, name)) continue;
      const type = this.schema.marks[name]!;
      const rules = MARK_ATTR_RULES[name] ?? {};
      const given = isObject(m) && isObject(m.attrs) ? m.attrs : {};
      const attrs: Record<string, unknown> = {};
      let usable = true;
      for (const attr of Object.keys(type.spec.attrs ?? {})) {
        if (!Object.hasOwn(given, attr)) continue;
        const v = (rules[attr] ?? scalarRule)(this.mapValue(given[attr]));
        if (v !== undefined) attrs[attr] = v;
        else if (attr === "href") usable = false; // a link to nowhere is just text
      }
      if (name === "link" && attrs.href === undefined) usable = false;
      if (!usable) continue;
      try {
        set = type.create(attrs).addToSet(set);
      } catch {
        // A value its own validator refuses: the text stays, without the mark.
      }
    }
    return [...set];
  }

  private attrs(type: NodeType, raw: unknown): Record<string, unknown> {
    const given = isObject(raw) ? raw : {};
    const rules = nodeAttrRules(type.name);
    const out: Record<string, unknown> = {};
    for (const attr of Object.keys(type.spec.attrs ?? {})) {
      if (!Object.hasOwn(given, attr)) continue;
      const v = (rules[attr] ?? scalarRule)(this.mapValue(given[attr]));
      if (v !== undefined) out[attr] = v;
    }
    return out;
  }

  private mapValue(v: unknown): unknown {
    return typeof v === "string" ? this.mapString(v) : v;
  }

  /** Raw content too deep to keep as it is: its textblocks and leaf blocks, in order,
   * without the containers around them. */
  private flatten(raw: RawNode, depth: number): PMNode[] {
    const out: PMNode[] = [];
    let inline: RawNode[] = [];
    const flushInline = () => {
      const paragraph = this.schema.nodes.paragraph!;
      if (inline.length > 0) out.push(...this.textblock(paragraph, this.inlineNodes(inline, paragraph)));
      inline = [];
    };
    const stack: unknown[] = [raw.content];
    while (stack.length > 0) {
      const item = stack.pop();
      if (Array.isArray(item)) {
        for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
        continue;
      }
      if (!isObject(item)) continue;
      const type = this.knownType(item);
      if (item.type === "text" || type?.isInline) {
        inline.push(item);
        continue;
      }
      if (type && (type.isTextblock || type.isLeaf)) {
        flushInline();
        out.push(...this.block(item, type, depth));
        continue;
      }
      flushInline();
      if (item.content !== undefined) stack.push(item.content);
    }
    flushInline();
    return out;
  }

  /** An image without a usable address: its alt text, if any. */
  private asText(raw: RawNode): PMNode[] {
    const alt = isObject(raw.attrs) && typeof raw.attrs.alt === "string" ? this.mapString(raw.attrs.alt) : "";
    return alt ? [this.schema.nodes.paragraph!.createChecked(null, this.schema.text(alt))] : [];
  }
}

/** Depth of the deepest element below the doc (top-level blocks are 1; text is not counted). */
export function contentDepth(doc: JSONContent): number {
  let max = 0;
  const stack: [JSONContent, number][] = (doc.content ?? []).map((n) => [n, 1]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node.type === "text") continue;
    max = Math.max(max, depth);
    for (const c of node.content ?? []) stack.push([c, depth + 1]);
  }
  return max;
}
