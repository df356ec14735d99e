/**
 * Read-only views of the document's Y.XmlFragment as ProseMirror sees it: JSON
 * content and positions. Written against yjs alone on purpose: y-tiptap's
 * converters may write to the Y.Doc they read (they merge adjacent texts and delete
 * nodes that do not fit the schema), which must never happen to the Durable
 * Object's authoritative copy just because someone asked the AI something; and in
 * the workerd test pool a second yjs instance breaks y-tiptap's instanceof checks.
 * Position arithmetic is y-prosemirror's (relativePositionToAbsolutePosition).
 */
import type { Schema } from "@tiptap/pm/model";
import * as Y from "yjs";
import type { RelativePositionJSON } from "../../shared/ai";

interface JsonNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: JsonNode[];
}

/** y-prosemirror stores overlapping marks of one type as `name--<8 char hash>`. */
const markName = (attr: string) => /(.*)(--[a-zA-Z0-9+/=]{8})$/.exec(attr)?.[1] ?? attr;

function toJson(item: Y.XmlElement | Y.XmlText): JsonNode[] {
  if (item instanceof Y.XmlText) {
    return (item.toDelta() as { insert: unknown; attributes?: Record<string, Record<string, unknown>> }[])
      .filter((d): d is { insert: string; attributes?: Record<string, Record<string, unknown>> } => typeof d.insert === "string")
      .map((d) => ({
        type: "text",
        text: d.insert,
        ...(d.attributes
          ? {
              marks: Object.entries(d.attributes).map(([k, attrs]) => ({
                type: markName(k),
                ...(attrs && Object.keys(attrs).length ? { attrs } : {}),
              })),
            }
          : {}),
      }));
  }
  const attrs = item.getAttributes();
  const content = item.toArray().flatMap((c) => toJson(c as Y.XmlElement | Y.XmlText));
  return [
    {
      type: item.nodeName,
      ...(Object.keys(attrs).length ? { attrs } : {}),
      ...(content.length ? { content } : {}),
    },
  ];
}

export function fragmentToJson(fragment: Y.XmlFragment): JsonNode {
  return { type: "doc", content: fragment.toArray().flatMap((c) => toJson(c as Y.XmlElement | Y.XmlText)) };
}

/** A node's size in ProseMirror positions. */
function pmSize(t: Y.XmlElement | Y.XmlText, schema: Schema): number {
  if (t instanceof Y.XmlText) return t.length;
  if (schema.nodes[t.nodeName]?.isLeaf) return 1;
  return 2 + t.toArray().reduce((sum, c) => sum + pmSize(c as Y.XmlElement | Y.XmlText, schema), 0);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yjs types are invariant in their event type
const isDeleted = (t: Y.AbstractType<any>) => t._item !== null && t._item.deleted;

/** The ProseMirror position a relative position points at now, or null if its
 * place is gone or outside the fragment. */
export function toPmPosition(
  ydoc: Y.Doc,
  fragment: Y.XmlFragment,
  json: RelativePositionJSON,
  schema: Schema,
): number | null {
  const abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), ydoc);
  if (!abs) return null;
  let type = abs.type as Y.AbstractType<any>;
  if (type !== fragment && (type._item === null || !Y.isParentOf(fragment, type._item))) return null;
  if (isDeleted(type)) return null;
  let pos: number;
  if (type instanceof Y.XmlText) {
    pos = abs.index;
  } else {
    const children = (type as Y.XmlElement | Y.XmlFragment).toArray() as (Y.XmlElement | Y.XmlText)[];
    pos = children.slice(0, abs.index).reduce((s, c) => s + pmSize(c, schema), 0) + 1; // + own start tag
  }
  while (type !== fragment && type._item !== null) {
    const parent = type._item.parent as Y.XmlElement | Y.XmlFragment;
    if (isDeleted(parent)) return null;
    pos += 1; // the parent's start tag
    for (const sibling of parent.toArray() as (Y.XmlElement | Y.XmlText)[]) {
      if (sibling === type) break;
      pos += pmSize(sibling, schema);
    }
    type = parent;
  }
  return pos - 1; // the fragment itself has no start tag
}
