/**
 * Checks an incoming Yjs update against the live document before it is applied, so
 * that no update can break the room or put content into it that the editor cannot
 * hold. It reads the update's structs without integrating them (Y.decodeUpdate) and
 * answers one of:
 *  - "ok": apply it;
 *  - "missing": it depends on changes the document does not have yet (what Yjs would
 *    park as pending structs); hold it aside (pending.ts) instead of applying it;
 *  - "refused": with the reason for its sender.
 *
 * Refused, because Yjs itself cannot take them without damage:
 *  - zero-length structs or delete ranges (one 22-byte update with a zero-length item
 *    left Yjs with a dead transaction, after which no update event ever fired again);
 *  - content Quire never writes: roots other than the content fragment and the meta
 *    map, nested fragments, hooks, maps, arrays, embeds, binary, JSON and subdocuments;
 *  - a parent that is not a container.
 * Refused, because the editor could not show them (see content-rules.ts): node and
 * mark names the schema lacks, children a node can never hold, attributes it does not
 * have or of the wrong type, link and image addresses outside the allowlist, content
 * nested deeper than MAX_CONTENT_DEPTH, meta values of the wrong type.
 *
 * With a context (the room's, per sender), also what the update may add and who may
 * write it (before any content is looked at: growth.ts, client ids and items), and the
 * marks of identity on its new text (identity-marks.ts, suggestion and comment marks).
 *
 * Call it inside the transaction that applies the batch, right before each update:
 * updates applied earlier in the batch are then part of the store it consults.
 */
import * as Y from "yjs";
import type { CloseCode } from "../../shared/close-codes";
import { IDENTITY_MARKS } from "../../shared/identity-marks";
import { readRecord, SUGGESTION_NODE_ATTRS } from "../../shared/schema-suggestion";
import { MAX_CONTENT_DEPTH } from "../../shared/limits";
import type { ErrorCode } from "../../shared/protocol";
import type { AnyYType } from "../../shared/yjs-types";
import { CONTENT_ROOT, META_ROOT, type ContentRules, type NodeRule } from "./content-rules";

/** A refusal; `close` when its sender is told something other than "invalid update" (4422). */
export type Refusal = { kind: "refused"; reason: string; close?: { code: CloseCode; error: ErrorCode; message: string } };
/** `stale`: some of its structs are in the document already (Yjs skips them), so its
 * bytes are not exactly what it changes (apply.ts then stores Yjs' own encoding). */
export type Accepted = { kind: "ok"; stale?: true; growth?: Growth; marks?: FoundMark[] };
export type Verdict = Accepted | { kind: "missing" } | Refusal;

/** What an update adds to the document, read off its decoded structs. */
export interface Growth {
  /** Client ids the document does not have yet. */
  newClients: number[];
  /** Client ids the document has, which this update writes new structs with. */
  writers: number[];
  /** Structs (items, tombstones) that are new to the document. */
  structs: number;
  /** Ranges of its delete set (each may split two existing structs). */
  deleteRanges: number;
  /** What it deletes that the document has and shows now (room/deleters.ts records who). */
  deletes: DeletedRange[];
}

export interface DeletedRange {
  client: number;
  clock: number;
  len: number;
}

/** A suggestion or comment mark on new text, with the client id that writes it. */
export interface FoundMark {
  writer: number;
  name: string;
  attrs: Record<string, unknown>;
}

/** The room's rules for one sender (worker/room/defense.ts). */
export interface UpdateContext {
  admit(growth: Growth): Refusal | null;
  /** Why these marks may not be written by this sender, or null. */
  marks(found: readonly FoundMark[]): string | null;
}

/** The rules for one batch (one transaction): each sender's context, and what to
 * record once an update they let through was applied. */
export interface SenderRules<C> {
  of(conn: C): UpdateContext;
  accepted(conn: C, verdict: Accepted): void;
}

type Struct = Y.Item | Y.GC | Y.Skip;
type AnyType = AnyYType;
type Content = Y.Item["content"];
interface Decoded {
  structs: Struct[];
  ds: { clients: Map<number, { clock: number; len: number }[]> };
}

/** Where an item goes: its parent as the editor sees it, and its map key, if any. */
type Parent =
  | { kind: "content" }
  | { kind: "meta" }
  | { kind: "element"; name: string; depth: number }
  | { kind: "text"; element: string; depth: number }
  | { kind: "gone" } // the parent was garbage-collected: Yjs discards the item itself
  | { kind: "missing" }
  | { kind: "bad"; why: string };

interface Placement {
  parent: Parent;
  key: string | null;
}

const MISSING: Verdict = { kind: "missing" };
const refused = (reason: string): Refusal => ({ kind: "refused", reason });

/** The struct containing `clock` in a clock-ordered list, or null. */
function findStruct<S extends Struct>(list: readonly S[] | undefined, clock: number): S | null {
  if (!list || list.length === 0) return null;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!;
    if (clock < s.id.clock) hi = mid - 1;
    else if (clock >= s.id.clock + s.length) lo = mid + 1;
    else return s;
  }
  return null;
}

class Checker {
  /** The update's structs per client, in clock order, without skips. */
  private readonly own = new Map<number, Struct[]>();
  private readonly placements = new Map<Y.Item, Placement>();
  private readonly roots: Map<AnyType, string>;
  /** Marks of identity on the update's new text (collected only with a context). */
  readonly marks: FoundMark[] = [];

  constructor(
    private readonly doc: Y.Doc,
    private readonly rules: ContentRules,
    structs: Struct[],
    private readonly collectMarks = false,
  ) {
    for (const s of structs) {
      if (s instanceof Y.Skip) continue;
      const list = this.own.get(s.id.client);
      if (list) list.push(s);
      else this.own.set(s.id.client, [s]);
    }
    for (const list of this.own.values()) list.sort((a, b) => a.id.clock - b.id.clock);
    this.roots = new Map([...doc.share].map(([name, type]) => [type as AnyType, name]));
  }

  stateOf(client: number): number {
    return Y.getState(this.doc.store, client);
  }

  /** The parts of `ds` that are items of the document not deleted yet: what applying it
   * deletes (a resyncing client's delete set repeats everyone's older deletions). */
  liveIn(ds: Decoded["ds"]): DeletedRange[] {
    const out: DeletedRange[] = [];
    for (const [client, ranges] of ds.clients) {
      const structs = this.doc.store.clients.get(client) as Struct[] | undefined;
      if (!structs) continue;
      for (const r of ranges) {
        const end = Math.min(r.clock + r.len, this.stateOf(client));
        let clock = r.clock;
        while (clock < end) {
          const s = findStruct(structs, clock);
          if (!s) break;
          const upto = Math.min(end, s.id.clock + s.length);
          if (s instanceof Y.Item && !s.deleted) {
            const last = out[out.length - 1];
            if (last && last.client === client && last.clock + last.len === clock) last.len += upto - clock;
            else out.push({ client, clock, len: upto - clock });
          }
          clock = upto;
        }
      }
    }
    return out;
  }

  /** The struct with this id: in the live document, in this update, or null. */
  private lookup(id: Y.ID): { live: boolean; struct: Struct } | null {
    if (id.clock < this.stateOf(id.client)) {
      const s = findStruct(this.doc.store.clients.get(id.client) as Struct[] | undefined, id.clock);
      if (s) return { live: true, struct: s };
    }
    const s = findStruct(this.own.get(id.client), id.clock);
    return s ? { live: false, struct: s } : null;
  }

  known(id: Y.ID): boolean {
    return this.lookup(id) !== null;
  }

  /** What a container type is, as a parent, for a type already in the document. */
  private liveParent(type: AnyType): Parent {
    if (type._item === null) {
      const name = this.roots.get(type);
      if (name === CONTENT_ROOT && type instanceof Y.XmlFragment) return { kind: "content" };
      if (name === META_ROOT && type instanceof Y.Map) return { kind: "meta" };
      return { kind: "bad", why: "changes to a part of the document the editor does not use" };
    }
    if (type instanceof Y.XmlElement) return { kind: "element", name: type.nodeName, depth: this.liveDepth(type) };
    if (type instanceof Y.XmlText) {
      const up = type._item.parent;
      const element = up instanceof Y.XmlElement ? up.nodeName : "";
      return { kind: "text", element, depth: up instanceof Y.XmlElement ? this.liveDepth(up) : 0 };
    }
    return { kind: "bad", why: "content inside a container the editor does not use" };
  }

  /** Elements from the root down to `el`, counting `el` (stops counting past the limit). */
  private liveDepth(el: AnyType): number {
    let depth = 0;
    let cur: AnyType | null = el;
    while (cur && cur._item !== null && depth <= MAX_CONTENT_DEPTH + 1) {
      if (cur instanceof Y.XmlElement) depth += 1;
      const p: unknown = cur._item.parent;
      cur = p instanceof Y.AbstractType ? p : null;
    }
    return depth;
  }

  /** What an item of this update that holds a type is, as a parent of others. */
  private ownParent(item: Y.Item, levels: number): Parent {
    if (!(item.content instanceof Y.ContentType)) return { kind: "bad", why: "a parent that is not a container" };
    const type = item.content.type;
    const place = this.placement(item, levels + 1);
    const p = place.parent;
    if (p.kind === "missing" || p.kind === "gone" || p.kind === "bad") return p;
    if (type instanceof Y.XmlElement) {
      const depth = p.kind === "element" ? p.depth + 1 : 1;
      return { kind: "element", name: type.nodeName, depth };
    }
    if (type instanceof Y.XmlText && p.kind === "element") return { kind: "text", element: p.name, depth: p.depth };
    return { kind: "bad", why: "content inside a container the editor does not use" };
  }

  /** The parent a struct resolves to when it is the explicit parent of an item. */
  private parentById(id: Y.ID, levels: number): Parent {
    const found = this.lookup(id);
    if (!found) return { kind: "missing" };
    const s = found.struct;
    if (s instanceof Y.GC) return { kind: "gone" };
    if (!(s instanceof Y.Item)) return { kind: "missing" };
    if (found.live) {
      return s.content instanceof Y.ContentType
        ? this.liveParent(s.content.type as AnyType)
        : { kind: "bad", why: "a parent that is not a container" };
    }
    return this.ownParent(s, levels);
  }

  /**
   * Where `item` goes, as Yjs will decide when it integrates it (Item.getMissing): an
   * explicit parent (a root name or the id of a type), or else the parent and key of
   * its left origin, or else of its right origin; a garbage-collected neighbour makes
   * Yjs discard the item. Origin chains are walked iteratively (an offline session can
   * chain thousands of items); nesting recurses, but never past the depth limit.
   */
  placement(item: Y.Item, levels = 0): Placement {
    const memo = this.placements.get(item);
    if (memo) return memo;
    if (levels > MAX_CONTENT_DEPTH + 2) return { parent: { kind: "bad", why: "content nested too deeply" }, key: null };
    const chain = new Set<Y.Item>();
    let cur: Y.Item = item;
    let result: Placement | null = null;
    while (result === null) {
      const seen = this.placements.get(cur);
      if (seen) {
        result = seen;
        break;
      }
      chain.add(cur);
      const parent = cur.parent as string | Y.ID | null;
      if (typeof parent === "string") {
        const kind = parent === CONTENT_ROOT ? "content" : parent === META_ROOT ? "meta" : null;
        result = {
          parent: kind ? { kind } : { kind: "bad", why: "changes to a part of the document the editor does not use" },
          key: cur.parentSub,
        };
        break;
      }
      if (parent instanceof Y.ID) {
        result = { parent: this.parentById(parent, levels), key: cur.parentSub };
        break;
      }
      const left = cur.origin ? this.lookup(cur.origin) : null;
      const right = cur.rightOrigin ? this.lookup(cur.rightOrigin) : null;
      if ((cur.origin && !left) || (cur.rightOrigin && !right)) {
        result = { parent: { kind: "missing" }, key: null };
        break;
      }
      if (left?.struct instanceof Y.GC || right?.struct instanceof Y.GC) {
        result = { parent: { kind: "gone" }, key: null };
        break;
      }
      const neighbour = (left ?? right)?.struct;
      if (!(neighbour instanceof Y.Item)) {
        result = { parent: { kind: "bad", why: "an item with no place in the document" }, key: null };
        break;
      }
      if (neighbour.parent instanceof Y.AbstractType) {
        // A live item: its parent is already resolved to a type.
        result = { parent: this.liveParent(neighbour.parent as AnyType), key: neighbour.parentSub };
        break;
      }
      if (chain.has(neighbour)) {
        result = { parent: { kind: "bad", why: "items that point at each other" }, key: null };
        break;
      }
      cur = neighbour;
    }
    for (const c of chain) this.placements.set(c, result);
    return result;
  }

  /** Why this item may not go where it goes, or null. */
  checkItem(item: Y.Item, place: Placement): string | null {
    const { content } = item;
    if (content instanceof Y.ContentDeleted) return null;
    const { parent, key } = place;
    switch (parent.kind) {
      case "content":
        if (key !== null) return "a key on the document's content";
        return this.checkChild(content, this.rules.root, 0);
      case "meta":
        if (key === null) return "a meta entry without a key";
        if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return "a meta value of the wrong kind";
        return this.rules.checkMeta(key, content.arr[0]);
      case "element": {
        const rule = this.rules.nodes.get(parent.name);
        if (!rule) return `an unknown node type ${JSON.stringify(parent.name.slice(0, 40))}`;
        if (key !== null) {
          const check = rule.attrs.get(key);
          if (!check) return `${parent.name} has no attribute ${JSON.stringify(key.slice(0, 40))}`;
          if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return `attribute ${key} of the wrong kind`;
          const why = check(content.arr[0]);
          if (!why) this.noteRecord(key, content.arr[0], item.id.client);
          return why;
        }
        return this.checkChild(content, rule, parent.depth);
      }
      case "text":
        if (key !== null) return "a key on text";
        if (content instanceof Y.ContentString) return null;
        if (content instanceof Y.ContentFormat) return this.checkFormat(content, item.id.client);
        return "content inside text that the editor does not use";
      default:
        return "content with no place in the document";
    }
  }

  private checkChild(content: Content, rule: NodeRule, depth: number): string | null {
    if (!(content instanceof Y.ContentType)) return "content the editor does not use";
    const type = content.type;
    if (type instanceof Y.XmlElement) {
      const name = type.nodeName;
      if (!this.rules.nodes.has(name)) return `an unknown node type ${JSON.stringify(name.slice(0, 40))}`;
      if (!rule.children.has(name)) return `a ${name} where it cannot be`;
      if (depth + 1 > MAX_CONTENT_DEPTH) return `content nested deeper than ${MAX_CONTENT_DEPTH} levels`;
      return null;
    }
    if (type instanceof Y.XmlText) return rule.text ? null : "text where only blocks can be";
    return "a kind of container the editor does not use";
  }

  /** A suggestion record on a node (shared/schema-suggestion.ts) says who suggested, as
   * a suggestion mark does: checked by the same rule. */
  private noteRecord(attr: string, value: unknown, writer: number): void {
    if (!this.collectMarks || value === null || !SUGGESTION_NODE_ATTRS.includes(attr)) return;
    const record = readRecord(value);
    this.marks.push({ writer, name: attr, attrs: record ? { id: record.id, author: record.author } : {} });
  }

  private checkFormat(content: Y.ContentFormat, writer: number): string | null {
    const name = this.rules.markName(content.key);
    if (!name) return `an unknown mark ${JSON.stringify(content.key.slice(0, 40))}`;
    const value: unknown = content.value;
    if (value !== null && this.collectMarks && IDENTITY_MARKS.includes(name)) {
      this.marks.push({
        writer,
        name,
        attrs: typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {},
      });
    }
    // null ends a mark; `true` is Y.Text's usual "on" for a mark without attributes.
    if (value === null || value === true) return null;
    if (typeof value !== "object" || Array.isArray(value)) return `mark ${name} with attributes of the wrong kind`;
    const checks = this.rules.marks.get(name)!;
    for (const [attr, v] of Object.entries(value as Record<string, unknown>)) {
      const check = checks.get(attr);
      if (!check) return `mark ${name} has no attribute ${JSON.stringify(attr.slice(0, 40))}`;
      const why = check(v);
      if (why) return why;
    }
    return null;
  }
}

const ALLOWED_CONTENT = [Y.ContentDeleted, Y.ContentString, Y.ContentFormat, Y.ContentAny, Y.ContentType];

/** `refusedClients`: Yjs client ids whose changes once broke the room (see recovery.ts). */
export function checkUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  rules: ContentRules,
  refusedClients: ReadonlySet<number> = new Set(),
  context?: UpdateContext,
): Verdict {
  let decoded: Decoded;
  try {
    decoded = Y.decodeUpdate(update) as unknown as Decoded;
  } catch {
    return refused("the update could not be read");
  }
  const { structs, ds } = decoded;
  const checker = new Checker(doc, rules, structs, context !== undefined);

  // Shapes Yjs cannot take, before anything else looks at the structs.
  for (const s of structs) {
    if (!(s.length >= 1)) return refused("an empty struct");
    if (refusedClients.has(s.id.client)) return refused("changes from an editor whose earlier changes were refused");
    if (s instanceof Y.Item && !ALLOWED_CONTENT.some((C) => s.content instanceof C)) return refused("content the editor does not use");
  }
  for (const [, ranges] of ds.clients) for (const r of ranges) if (!(r.len >= 1)) return refused("an empty delete range");

  // What it adds, before the costlier passes below: a flood of client ids or items is
  // refused here, having cost one decode.
  const growth = context ? growthOf(checker, structs, ds) : undefined;
  const over = growth && context!.admit(growth);
  if (over) return over;

  // Dependencies: each client's structs must continue from what the document has,
  // and every struct they point at must exist, here or in the update itself.
  let missing = false;
  let stale = false;
  const ends = new Map<number, number>();
  const byClient = new Map<number, Struct[]>();
  for (const s of structs) {
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  for (const [client, list] of byClient) {
    let expected = checker.stateOf(client);
    for (const s of list.sort((a, b) => a.id.clock - b.id.clock)) {
      if (s instanceof Y.Skip) continue;
      if (s.id.clock > expected) missing = true;
      if (s.id.clock < expected) stale = true;
      expected = Math.max(expected, s.id.clock + s.length);
    }
    ends.set(client, expected);
  }
  for (const [client, ranges] of ds.clients) {
    const end = Math.max(ends.get(client) ?? 0, checker.stateOf(client));
    for (const r of ranges) if (r.clock + r.len > end) missing = true;
  }
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    if (s.origin && !checker.known(s.origin)) missing = true;
    if (s.rightOrigin && !checker.known(s.rightOrigin)) missing = true;
    if (s.parent instanceof Y.ID && !checker.known(s.parent)) missing = true;
  }
  if (missing) return MISSING;

  // Content: only what is new to the document is checked (Yjs skips the rest).
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    if (s.id.clock + s.length <= checker.stateOf(s.id.client)) continue;
    const place = checker.placement(s);
    if (place.parent.kind === "missing") return MISSING;
    if (place.parent.kind === "gone") continue;
    if (place.parent.kind === "bad") return refused(place.parent.why);
    const why = checker.checkItem(s, place);
    if (why) return refused(why);
  }
  if (context && checker.marks.length > 0) {
    const why = context.marks(checker.marks);
    if (why) return refused(why);
  }
  return {
    kind: "ok",
    ...(stale ? { stale: true as const } : {}),
    ...(growth ? { growth } : {}),
    ...(checker.marks.length > 0 ? { marks: checker.marks } : {}),
  };
}

function growthOf(checker: Checker, structs: Struct[], ds: Decoded["ds"]): Growth {
  const newClients = new Set<number>();
  const writers = new Set<number>();
  let added = 0;
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    const state = checker.stateOf(s.id.client);
    if (state === 0) newClients.add(s.id.client);
    if (s.id.clock + s.length > state) {
      added += 1;
      if (state > 0) writers.add(s.id.client);
    }
  }
  let deleteRanges = 0;
  for (const [, ranges] of ds.clients) deleteRanges += ranges.length;
  return { newClients: [...newClients], writers: [...writers], structs: added, deleteRanges, deletes: checker.liveIn(ds) };
}
