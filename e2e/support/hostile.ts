/**
 * Hostile Yjs updates for the fuzz tier: each is a well-formed y-websocket update that a
 * malicious or broken client could send, built against what that client knows of the
 * document (so origins point at real items). Deterministic for a given random source.
 */
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { MAX_NEW_CLIENT_IDS_PER_CONNECTION } from "../../shared/limits";

export type Rand = () => number;

/** Deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function rng(seed: number): Rand {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What `change` does to a copy of `known`, as one update (optionally as another client). */
function editOf(known: Y.Doc, change: (d: Y.Doc) => void, clientID?: number): Uint8Array {
  const d = new Y.Doc();
  if (clientID !== undefined) d.clientID = clientID;
  Y.applyUpdate(d, Y.encodeStateAsUpdate(known));
  const sv = Y.encodeStateVector(d);
  d.transact(() => change(d));
  return Y.encodeStateAsUpdate(d, sv);
}

const content = (d: Y.Doc) => d.getXmlFragment(YDOC_CONTENT_FIELD);

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

/** A V1 update written by hand: one client's structs from `clock`, no deletes. */
function rawUpdate(client: number, clock: number, items: ((e: encoding.Encoder) => void)[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, items.length);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  for (const write of items) write(e);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

/** The 22-byte shape that once poisoned Yjs: a zero-length deleted item, then a
 * string at the same clock, under `root`. */
export function zeroLength(client: number, root: string): Uint8Array {
  return rawUpdate(client, 0, [
    (e) => {
      encoding.writeUint8(e, 0x01); // ContentDeleted, parent info follows
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, root);
      encoding.writeVarUint(e, 0);
    },
    (e) => {
      encoding.writeUint8(e, 0x04); // ContentString
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, root);
      encoding.writeVarString(e, "y");
    },
  ]);
}

export const HOSTILE_KINDS = [
  "zero-length",
  "duplicate-clock",
  "missing-dependency",
  "pending-chain",
  "deep-nesting",
  "wrong-attribute",
  "unknown-node",
  "unknown-mark",
  "meta-type",
  "other-root",
  "unsafe-link",
  "delete-unknown",
  "mutated",
  "client-id-flood",
  "honest",
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** One or more hostile updates of `kind`, against what `known` holds. */
export function hostile(kind: HostileKind, known: Y.Doc, rand: Rand): Uint8Array[] {
  const fresh = () => Math.floor(rand() * 2 ** 30) + 1000;
  switch (kind) {
    case "zero-length":
      return [zeroLength(fresh(), rand() < 0.5 ? YDOC_CONTENT_FIELD : "junk")];
    case "duplicate-clock": {
      // Two different changes claiming the same client and clocks.
      const id = fresh();
      return [
        editOf(known, (d) => content(d).insert(0, [paragraph("first claim")]), id),
        editOf(known, (d) => content(d).insert(0, [paragraph("second claim at the same clock")]), id),
      ];
    }
    case "missing-dependency": {
      const base = new Y.Doc();
      Y.applyUpdate(base, Y.encodeStateAsUpdate(known));
      base.transact(() => content(base).insert(0, [paragraph("never sent")]));
      return [editOf(base, (d) => ((content(d).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, " orphan"))];
    }
    case "pending-chain": {
      const base = new Y.Doc();
      Y.applyUpdate(base, Y.encodeStateAsUpdate(known));
      base.transact(() => content(base).insert(0, [paragraph("hidden base")]));
      const out: Uint8Array[] = [];
      const d = new Y.Doc();
      Y.applyUpdate(d, Y.encodeStateAsUpdate(base));
      d.on("update", (u: Uint8Array) => out.push(u));
      const text = (content(d).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      for (let i = 0; i < 40; i++) text.insert(text.length, "x".repeat(2000));
      return out;
    }
    case "deep-nesting":
      return [
        editOf(known, (d) => {
          let parent: Y.XmlFragment = content(d);
          for (let i = 0; i < 100 + Math.floor(rand() * 400); i++) {
            const q = new Y.XmlElement("blockquote");
            parent.insert(0, [q]);
            parent = q;
          }
          parent.insert(0, [paragraph("deep")]);
        }),
      ];
    case "wrong-attribute": {
      const pick = rand();
      return [
        editOf(known, (d) => {
          const el = new Y.XmlElement(pick < 0.5 ? "heading" : "orderedList");
          el.setAttribute(pick < 0.5 ? "level" : "start", pick < 0.25 ? "one" : ({ evil: true } as unknown as string));
          content(d).insert(0, [el]);
        }),
      ];
    }
    case "unknown-node":
      return [editOf(known, (d) => content(d).insert(0, [new Y.XmlElement(rand() < 0.5 ? "script" : "iframe")]))];
    case "unknown-mark":
      return [
        editOf(known, (d) => {
          const p = paragraph("marked");
          content(d).insert(0, [p]);
          (p.get(0) as Y.XmlText).format(0, 3, { blink: {} });
        }),
      ];
    case "meta-type":
      return [editOf(known, (d) => d.getMap("meta").set(rand() < 0.5 ? "title" : "owner", rand() < 0.5 ? 42 : { x: 1 }))];
    case "other-root":
      return [editOf(known, (d) => (rand() < 0.5 ? d.getText("t").insert(0, "elsewhere") : d.getArray("a").insert(0, [1, 2, 3])))];
    case "unsafe-link":
      return [
        editOf(known, (d) => {
          const p = paragraph("click me");
          content(d).insert(0, [p]);
          (p.get(0) as Y.XmlText).format(0, 5, { link: { href: rand() < 0.5 ? "javascript:alert(1)" : "//evil.example/x" } });
        }),
      ];
    case "delete-unknown": {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, fresh());
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, Math.floor(rand() * 2 ** 20));
      encoding.writeVarUint(e, 1 + Math.floor(rand() * 1000));
      return [encoding.toUint8Array(e)];
    }
    case "mutated": {
      const u = editOf(known, (d) => content(d).insert(content(d).length, [paragraph(`mutant ${fresh()}`)]));
      const m = new Uint8Array(u);
      for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
        const i = Math.floor(rand() * m.length);
        m[i] = m[i]! ^ (1 << Math.floor(rand() * 8));
      }
      return [rand() < 0.2 ? m.subarray(0, Math.floor(rand() * m.length)) : m];
    }
    case "client-id-flood": {
      // Honest paragraphs in every other respect, each from a client id the document
      // has never seen: more than one connection may bring (MAX_NEW_CLIENT_IDS_PER_CONNECTION).
      const ids = MAX_NEW_CLIENT_IDS_PER_CONNECTION + 1 + Math.floor(rand() * 60);
      return [
        editOf(known, (d) => {
          for (let i = 0; i < ids; i++) {
            d.clientID = fresh();
            content(d).insert(content(d).length, [paragraph(`flood ${i}`)]);
          }
        }),
      ];
    }
    case "honest":
      return [editOf(known, (d) => content(d).insert(content(d).length, [paragraph(`fuzzer's honest paragraph ${fresh()}`)]))];
  }
}
