/** The schema and plain documents the suggestion tests start from. */
import { getSchema } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { schemaExtensions } from "../../../shared/schema";

export const schema = getSchema(schemaExtensions());

export function docOf(...paras: string[]): PMNode {
  return schema.node(
    "doc",
    null,
    paras.map((t) => schema.node("paragraph", null, t ? [schema.text(t)] : [])),
  );
}
