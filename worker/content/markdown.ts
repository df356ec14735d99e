/**
 * Content from outside: Markdown → the editor schema → Yjs, on the server. Parsing goes
 * through the shared reader (shared/markdown.ts: Tiptap's parser under a budget, then
 * the schema normalizer), so whatever lands in the document is what the editor can
 * show: unknown syntax degrades to text, links and images keep only allowed addresses,
 * and the result passes `schema.nodeFromJSON(json).check()` before it is written.
 *
 * The work is done in pieces with a pause (a macrotask) between them: a Durable
 * Object's isolate is shared by every document it hosts, and one import must not hold
 * it for more than a few tens of ms at a time (MARKDOWN_PIECE_CHARS and the limits
 * next to it). The result is an ordinary Yjs change applied by the caller inside one
 * transaction, so it is stored by the durable append listener and broadcast like any
 * edit.
 */
import type { JSONContent } from "@tiptap/core";
import { prosemirrorToYXmlFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { markdownReader } from "../../shared/markdown";
import { IMPORT_BLOCKS_PER_STEP } from "../../shared/limits";
import { editorSchema } from "../../shared/schema";
import { joinsAcross, skippedAcross, splitMarkdown, type Seam } from "./markdown-chunks";

/** Blocks parsed from Markdown, held in scratch Y.Docs until they are copied in. */
export interface ParsedBlocks {
  blocks: (Y.XmlElement | Y.XmlText)[];
  /** Encoded size of the new content: the document size guard compares against it. */
  bytes: number;
}

/** Lets other events in the isolate run (a timer, not a microtask, so waiting socket
 * messages and requests are delivered first). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Parses Markdown into Yjs blocks, one piece per turn. Each piece's blocks are
 * checked against the schema (`nodeFromJSON(...).check()`) before they become Yjs; a
 * list, table or quote cut between pieces is joined again (markdown-chunks.ts). */
export async function parseMarkdown(markdown: string, pause: () => Promise<void> = nextTurn): Promise<ParsedBlocks> {
  if (markdown.trim() === "") return { blocks: [], bytes: 0 };
  const reader = markdownReader();
  const held = reader.prepare(markdown);
  await pause();
  const out: ParsedBlocks = { blocks: [], bytes: 0 };
  for (const piece of splitMarkdown(held.source)) {
    append(out, reader.parsePiece(piece.text, held), piece.seam);
    await pause();
  }
  append(out, reader.leftovers(held), "none");
  return out;
}

function append(out: ParsedBlocks, content: JSONContent[], seam: Seam): void {
  if (content.length === 0) return;
  const node = editorSchema().nodeFromJSON({ type: "doc", content });
  node.check();
  const scratch = new Y.Doc();
  const fragment = scratch.getXmlFragment("import");
  prosemirrorToYXmlFragment(node, fragment);
  out.bytes += Y.encodeStateAsUpdate(scratch).byteLength;
  // Only elements and texts are in a fragment y-tiptap just wrote (checked by shape, not
  // instanceof: the workerd test pool can load a second yjs for y-tiptap).
  const items = fragment.toArray() as (Y.XmlElement | Y.XmlText)[];
  const last = out.blocks[out.blocks.length - 1];
  const first = items[0];
  if (isElement(last) && isElement(first) && last.nodeName === first.nodeName && joinsAcross(seam, first.nodeName)) {
    last.insert(
      last.length,
      first
        .toArray()
        .slice(skippedAcross(seam))
        .map((c) => (c as Y.XmlElement).clone()),
    );
    items.shift();
  }
  out.blocks.push(...items);
}

const isElement = (v: unknown): v is Y.XmlElement => typeof (v as Y.XmlElement | undefined)?.nodeName === "string";

/**
 * Adds parsed blocks to the document in steps of IMPORT_BLOCKS_PER_STEP, each one
 * ordinary server change (`step` runs it in a transaction, stored and broadcast like
 * any edit), with a pause between steps. One transaction for a 128 KiB import of tiny
 * blocks held the isolate — every document it hosts — for ~0.4 s and made a 1.9 MB
 * update; in steps it is a burst of small edits, as if someone typed very fast.
 * `replace` first removes what was there, in the first step. The blocks are cloned:
 * Yjs types cannot move between documents. `alive` is asked between steps (a delete or
 * a revoked link stops the rest).
 */
export async function applyBlocks(
  parsed: ParsedBlocks,
  mode: "append" | "replace",
  step: (change: (target: Y.XmlFragment) => void) => void,
  alive: () => boolean = () => true,
  pause: () => Promise<void> = nextTurn,
): Promise<void> {
  const { blocks } = parsed;
  let i = 0;
  do {
    const slice = blocks.slice(i, i + IMPORT_BLOCKS_PER_STEP);
    const first = i === 0;
    step((target) => {
      if (first && mode === "replace" && target.length > 0) target.delete(0, target.length);
      if (slice.length > 0)
        target.insert(
          target.length,
          slice.map((b) => b.clone()),
        );
    });
    i += slice.length;
    if (i < blocks.length) {
      await pause();
      if (!alive()) return;
    }
  } while (i < blocks.length);
}
