/**
 * What changed between two states of one document, read off the CRDT itself (no text
 * diff): both states' updates go into ONE Y.Doc that keeps deleted content (gc off,
 * the older state first, so text the newer one deleted still has its characters), and
 * each text item of the merged content is classified by Yjs' visibility test
 * against each state's snapshot: visible only in `to` is an insertion, only in `from`
 * a deletion, in both unchanged. Restores are ordinary changes on the same CRDT, so
 * they compare as what they changed; two unrelated states (a Markdown import replaces
 * everything, a rebuild starts a fresh CRDT) compare as delete-all + insert-all.
 *
 * Blocks are those of the plain-text export: one per paragraph, heading or code block
 * (list items and table cells hold paragraphs). Inline images count as their alt text,
 * hard breaks as "\n".
 */
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { type CompareChange, CompareOp } from "../../shared/authorship";
import type { CompareBlock, CompareRun } from "../../shared/versions";

/** One state to compare: its update (V2) and its own snapshot. */
export interface CompareSide {
  update: Uint8Array;
  snapshot: Y.Snapshot;
}

type CompareRunOp = CompareRun["op"];

export interface CompareResult {
  changes: CompareChange[];
  blocks: CompareBlock[];
  /** Author ids in the order they first appear, with the Yjs client ids whose items
   * they are named for (the editor matches these to people present). */
  authorIds: string[];
  clientsOf: Map<string, number[]>;
}

export interface CompareAuthors {
  /** Who inserted `client`'s items. */
  insertedBy(client: number): string;
  /** Who deleted the item at `id`, when recorded. */
  deletedBy?(client: number, clock: number): string | undefined;
}

const TEXTBLOCKS = new Set(["paragraph", "heading", "codeBlock"]);

/**
 * `older` must be the state with fewer of the document's changes (its items go in
 * first); `from` and `to` name which of the two sides the answer reads from.
 */
export function compareStates(older: CompareSide, newer: CompareSide, fromIsOlder: boolean, authors: CompareAuthors): CompareResult {
  const merged = new Y.Doc({ gc: false });
  Y.applyUpdateV2(merged, older.update);
  Y.applyUpdateV2(merged, newer.update);
  const from = fromIsOlder ? older.snapshot : newer.snapshot;
  const to = fromIsOlder ? newer.snapshot : older.snapshot;
  const walker = new Walker(from, to, authors);
  // Inside one transaction: items are split at each snapshot's boundaries (as Yjs does
  // for its own snapshot rendering) and must be read before cleanup merges them back.
  merged.transact((tr) => {
    for (const snap of [from, to]) {
      snap.sv.forEach((clock, client) => {
        if (clock < Y.getState(merged.store, client)) Y.getItemCleanStart(tr, Y.createID(client, clock));
      });
      Y.iterateDeletedStructs(tr, snap.ds, () => {});
    }
    walker.container(merged.getXmlFragment(YDOC_CONTENT_FIELD), true, true);
  });
  merged.destroy();
  return walker.result();
}

/** A state's own snapshot, read from its update without building a document. */
export function snapshotOfUpdate(update: Uint8Array): Y.Snapshot {
  const { ds } = Y.decodeUpdateV2(update);
  const sv = Y.decodeStateVector(Y.encodeStateVectorFromUpdateV2(update));
  return Y.createSnapshot(ds, sv);
}

/** Yjs' `isVisible` (not exported): the item exists in the snapshot and is not deleted there. */
function visible(item: Y.Item, snap: Y.Snapshot): boolean {
  return (snap.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snap.ds, item.id);
}

class Walker {
  private readonly blocks: CompareBlock[] = [];
  private readonly changes: CompareChange[] = [];
  private readonly clientsOf = new Map<string, number[]>();
  private block: CompareBlock | null = null;

  constructor(
    private readonly from: Y.Snapshot,
    private readonly to: Y.Snapshot,
    private readonly authors: CompareAuthors,
  ) {}

  result(): CompareResult {
    return { changes: this.changes, blocks: this.blocks, authorIds: [...this.clientsOf.keys()], clientsOf: this.clientsOf };
  }

  /** `inFrom`/`inTo`: whether the container itself is visible in each state. */
  container(type: Y.XmlFragment | Y.XmlElement, inFrom: boolean, inTo: boolean): void {
    for (let item = type._start; item !== null; item = item.right) {
      const a = inFrom && visible(item, this.from);
      const b = inTo && visible(item, this.to);
      if (!a && !b) continue;
      const content = item.content;
      if (content instanceof Y.ContentType) {
        const child = content.type;
        if (child instanceof Y.XmlText) {
          this.text(child, a, b);
        } else if (child instanceof Y.XmlElement) {
          this.element(child, a, b, item);
        }
      }
    }
  }

  private element(el: Y.XmlElement, a: boolean, b: boolean, item: Y.Item): void {
    const name = el.nodeName;
    if (TEXTBLOCKS.has(name) && this.block === null) {
      this.block = { op: a && b ? "same" : b ? CompareOp.Insert : CompareOp.Delete, runs: [] };
      this.blocks.push(this.block);
      this.container(el, a, b);
      this.block = null;
      return;
    }
    if (this.block !== null && (name === "hardBreak" || name === "image")) {
      const alt = name === "image" ? el.getAttribute("alt") : "\n";
      if (typeof alt === "string" && alt !== "") this.run(a, b, alt, item);
      return;
    }
    this.container(el, a, b);
  }

  private text(t: Y.XmlText, inFrom: boolean, inTo: boolean): void {
    if (this.block === null) return; // text outside a textblock: the schema has none
    for (let item = t._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentString)) continue; // marks, embeds (unused)
      this.run(inFrom && visible(item, this.from), inTo && visible(item, this.to), item.content.str, item);
    }
  }

  private run(a: boolean, b: boolean, text: string, item: Y.Item): void {
    if (!a && !b) return;
    const op: CompareRunOp = a && b ? "same" : b ? CompareOp.Insert : CompareOp.Delete;
    let author: string | undefined;
    if (op === CompareOp.Insert) {
      author = this.authors.insertedBy(item.id.client);
      const clients = this.clientsOf.get(author) ?? [];
      if (!clients.includes(item.id.client)) clients.push(item.id.client);
      this.clientsOf.set(author, clients);
    } else if (op === CompareOp.Delete) {
      author = this.authors.deletedBy?.(item.id.client, item.id.clock);
      if (author !== undefined && !this.clientsOf.has(author)) this.clientsOf.set(author, []);
    }
    const runs = this.block!.runs;
    const last = runs[runs.length - 1];
    if (last && last.op === op && last.author === author) {
      last.text += text;
      if (op !== "same") this.changes[this.changes.length - 1]!.text += text;
      return;
    }
    runs.push(author === undefined ? { op, text } : { op, text, author });
    if (op === "same") return;
    this.changes.push(author === undefined ? { op, text } : { op, text, author });
  }
}
