import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MAX_CONTENT_DEPTH } from "../../shared/limits";
import { defaultRules } from "./content-rules";
import { checkUpdate, type FoundMark, type Growth, type Refusal, type UpdateContext } from "./update-check";

const rules = defaultRules();

/** A server document and a client that starts from its state; `change` edits the client. */
function edit(change: (client: Y.Doc) => void, server = new Y.Doc()): { server: Y.Doc; update: Uint8Array } {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const updates: Uint8Array[] = [];
  client.on("update", (u: Uint8Array) => updates.push(u));
  client.transact(() => change(client));
  return { server, update: Y.mergeUpdates(updates) };
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

const content = (d: Y.Doc) => d.getXmlFragment("default");
const verdict = (server: Y.Doc, update: Uint8Array) => checkUpdate(server, update, rules);

describe("checkUpdate", () => {
  it("accepts what the editor writes: blocks, text, marks, attributes, the title", () => {
    const { server, update } = edit((c) => {
      const h = new Y.XmlElement("heading");
      h.setAttribute("level", 2 as unknown as string);
      h.insert(0, [new Y.XmlText("Title")]);
      const p = paragraph("hello world");
      content(c).insert(0, [h, p]);
      (p.get(0) as Y.XmlText).format(0, 5, { bold: {} });
      (p.get(0) as Y.XmlText).format(6, 5, { link: { href: "https://example.org/x", target: "_blank" } });
      c.getMap("meta").set("title", "A title");
    });
    expect(verdict(server, update)).toEqual({ kind: "ok" });
  });

  it("accepts typing into content the server already has (parents found through origins)", () => {
    const server = new Y.Doc();
    content(server).insert(0, [paragraph("abc")]);
    const { update } = edit((c) => {
      const t = (content(c).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      t.insert(1, "XYZ");
      t.format(0, 2, { italic: {} });
      t.delete(3, 1);
    }, server);
    expect(verdict(server, update)).toEqual({ kind: "ok" });
  });

  it("accepts an update it has already applied (Yjs ignores known structs), and says its bytes repeat the document", () => {
    const { server, update } = edit((c) => content(c).insert(0, [paragraph("x")]));
    expect(verdict(server, update)).toEqual({ kind: "ok" });
    Y.applyUpdate(server, update);
    expect(verdict(server, update)).toEqual({ kind: "ok", stale: true });
  });

  it("refuses the 22-byte update that poisoned Yjs (a zero-length item)", () => {
    const bytes = Uint8Array.from("01020b000101046a756e6b000401046a756e6b017900".match(/../g)!.map((h) => parseInt(h, 16)));
    const v = verdict(new Y.Doc(), bytes);
    expect(v.kind).toBe("refused");
  });

  it("refuses bytes that are not an update", () => {
    expect(verdict(new Y.Doc(), new Uint8Array([7, 200, 200, 200]))).toMatchObject({ kind: "refused" });
  });

  it("refuses other roots, nested fragments, maps and embeds", () => {
    expect(verdict(...pair(edit((c) => c.getText("t").insert(0, "x")))).kind).toBe("refused");
    expect(verdict(...pair(edit((c) => c.getMap("other").set("k", 1)))).kind).toBe("refused");
    expect(verdict(...pair(edit((c) => content(c).insert(0, [new Y.XmlFragment() as unknown as Y.XmlElement]))))).toMatchObject({
      kind: "refused",
    });
    const p = edit((c) => {
      const el = new Y.XmlElement("paragraph");
      content(c).insert(0, [el]);
      el.setAttribute("x", new Y.Map() as unknown as string);
    });
    expect(verdict(...pair(p)).kind).toBe("refused");
    const e = edit((c) => {
      const t = new Y.XmlText();
      const el = new Y.XmlElement("paragraph");
      el.insert(0, [t]);
      content(c).insert(0, [el]);
      t.insertEmbed(0, { image: "x" });
    });
    expect(verdict(...pair(e)).kind).toBe("refused");
  });

  it("refuses node and mark names the schema lacks, and children a node cannot hold", () => {
    expect(verdict(...pair(edit((c) => content(c).insert(0, [new Y.XmlElement("script")]))))).toMatchObject({ kind: "refused" });
    const list = edit((c) => {
      const ul = new Y.XmlElement("bulletList");
      ul.insert(0, [paragraph("not in a list item")]);
      content(c).insert(0, [ul]);
    });
    expect(verdict(...pair(list))).toMatchObject({ kind: "refused" });
    const text = edit((c) => content(c).insert(0, [new Y.XmlText("loose text") as unknown as Y.XmlElement]));
    expect(verdict(...pair(text))).toMatchObject({ kind: "refused" });
    const mark = edit((c) => {
      const p = paragraph("x");
      content(c).insert(0, [p]);
      (p.get(0) as Y.XmlText).format(0, 1, { blink: {} });
    });
    expect(verdict(...pair(mark))).toMatchObject({ kind: "refused" });
  });

  it("refuses attributes the node lacks or of the wrong type, and unsafe addresses", () => {
    const wrongType = edit((c) => {
      const h = new Y.XmlElement("heading");
      h.setAttribute("level", "one");
      content(c).insert(0, [h]);
    });
    expect(verdict(...pair(wrongType))).toMatchObject({ kind: "refused" });
    const unknown = edit((c) => {
      const p = new Y.XmlElement("paragraph");
      p.setAttribute("onclick", "alert(1)");
      content(c).insert(0, [p]);
    });
    expect(verdict(...pair(unknown))).toMatchObject({ kind: "refused" });
    for (const href of ["javascript:alert(1)", "//evil.example/x", " JavaScript:alert(1)"]) {
      const link = edit((c) => {
        const p = paragraph("click");
        content(c).insert(0, [p]);
        (p.get(0) as Y.XmlText).format(0, 5, { link: { href } });
      });
      expect(verdict(...pair(link)), href).toMatchObject({ kind: "refused" });
    }
  });

  it("accepts a comment anchor with a thread id, refuses one with a junk id", () => {
    const anchored = (threadId: unknown) =>
      edit((c) => {
        const p = paragraph("commented text");
        content(c).insert(0, [p]);
        (p.get(0) as Y.XmlText).format(0, 9, { comment: { threadId } });
      });
    expect(verdict(...pair(anchored("AbCdEf0123456789")))).toEqual({ kind: "ok" });
    for (const junk of ["<script>", "", 42, { x: 1 }, "x".repeat(200)]) {
      expect(verdict(...pair(anchored(junk))), JSON.stringify(junk)).toMatchObject({ kind: "refused" });
    }
  });

  it("accepts suggestion marks with a clientID-counter id, refuses other ids and attributes", () => {
    const suggested = (attrs: Record<string, unknown>) =>
      edit((c) => {
        const p = paragraph("suggested text");
        content(c).insert(0, [p]);
        (p.get(0) as Y.XmlText).format(0, 9, { insertion: attrs });
      });
    const good = { id: "123456-7", author: "Sam", at: 1_700_000_000_000, command: null, model: null };
    expect(verdict(...pair(suggested(good)))).toEqual({ kind: "ok" });
    for (const bad of [
      { ...good, id: "max+1" },
      { ...good, at: "yesterday" },
      { ...good, author: 7 },
      { ...good, onclick: "x" },
    ]) {
      expect(verdict(...pair(suggested(bad))), JSON.stringify(bad)).toMatchObject({ kind: "refused" });
    }
  });

  it("refuses a title that is not a string, and meta keys Quire does not use", () => {
    expect(verdict(...pair(edit((c) => c.getMap("meta").set("title", 42))))).toMatchObject({ kind: "refused" });
    expect(verdict(...pair(edit((c) => c.getMap("meta").set("owner", "me"))))).toMatchObject({ kind: "refused" });
  });

  it("refuses nesting past the depth limit, without overflowing the stack at 20,000 levels", () => {
    // Built one level per step: Yjs itself recurses when it integrates nested new types.
    const nest = (levels: number) =>
      edit((c) => {
        let parent: Y.XmlFragment = content(c);
        for (let i = 0; i < levels; i++) {
          const q = new Y.XmlElement("blockquote");
          parent.insert(0, [q]);
          parent = q;
        }
        parent.insert(0, [paragraph("deep")]);
      });
    expect(verdict(...pair(nest(MAX_CONTENT_DEPTH - 2)))).toEqual({ kind: "ok" });
    expect(verdict(...pair(nest(MAX_CONTENT_DEPTH)))).toMatchObject({ kind: "refused" });
    expect(verdict(...pair(nest(20_000)))).toMatchObject({ kind: "refused" });
  });

  it("counts depth from content the server already has", () => {
    const server = new Y.Doc();
    let inner: Y.XmlElement = paragraph("deep");
    for (let i = 0; i < MAX_CONTENT_DEPTH - 1; i++) {
      const q = new Y.XmlElement("blockquote");
      q.insert(0, [inner]);
      inner = q;
    }
    content(server).insert(0, [inner]);
    const { update } = edit((c) => {
      let q = content(c).get(0) as Y.XmlElement;
      while (q.get(0) instanceof Y.XmlElement && (q.get(0) as Y.XmlElement).nodeName === "blockquote") q = q.get(0) as Y.XmlElement;
      const deeper = new Y.XmlElement("blockquote");
      deeper.insert(0, [paragraph("one more")]);
      q.insert(0, [deeper]);
    }, server);
    expect(verdict(server, update)).toMatchObject({ kind: "refused" });
  });

  it("says 'missing' for updates whose base the server lacks, and for deletes of unknown items", () => {
    const base = new Y.Doc();
    content(base).insert(0, [paragraph("base")]);
    const { update } = edit((c) => ((content(c).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(2, "orphan"), base);
    expect(verdict(new Y.Doc(), update)).toEqual({ kind: "missing" });
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 0);
    encoding.writeVarUint(enc, 1);
    encoding.writeVarUint(enc, 12345);
    encoding.writeVarUint(enc, 1);
    encoding.writeVarUint(enc, 2 ** 40);
    encoding.writeVarUint(enc, 10);
    expect(verdict(new Y.Doc(), encoding.toUint8Array(enc))).toEqual({ kind: "missing" });
  });

  it("refuses changes from a client id the room refused before", () => {
    const { server, update } = edit((c) => content(c).insert(0, [paragraph("x")]));
    const client = Y.decodeUpdate(update).structs[0]!.id.client;
    expect(checkUpdate(server, update, rules, new Set([client]))).toMatchObject({ kind: "refused" });
  });
});

describe("checkUpdate with the room's context", () => {
  /** A context that records what it was asked, and refuses nothing unless told to. */
  function probe(refuse: { growth?: Refusal; marks?: string } = {}) {
    const seen = { growth: [] as Growth[], marks: [] as FoundMark[][] };
    const ctx: UpdateContext = {
      admit: (g) => (seen.growth.push(g), refuse.growth ?? null),
      marks: (m) => (seen.marks.push([...m]), refuse.marks ?? null),
    };
    return { seen, ctx };
  }

  it("reports the new client ids, new structs and delete ranges before anything else", () => {
    const server = new Y.Doc();
    content(server).insert(0, [paragraph("abcdef")]);
    const { update } = edit((c) => {
      const t = (content(c).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      t.delete(1, 1);
      t.delete(3, 1);
      c.clientID = 777;
      t.insert(0, "x");
    }, server);
    const { seen, ctx } = probe();
    expect(checkUpdate(server, update, rules, new Set(), ctx)).toMatchObject({ kind: "ok" });
    expect(seen.growth).toHaveLength(1);
    // Deleting writes no struct: only the item inserted as client 777 is new.
    // What it deletes is read off the document: "b" and "e" of the server's items.
    const deletes = [
      { client: server.clientID, clock: 3, len: 1 },
      { client: server.clientID, clock: 6, len: 1 },
    ];
    expect(seen.growth[0]).toEqual({ newClients: [777], writers: [], structs: 1, deleteRanges: 2, deletes });
    // A refusal there is final, and no content pass runs.
    const no = probe({ growth: { kind: "refused", reason: "budget" } });
    expect(checkUpdate(server, update, rules, new Set(), no.ctx)).toEqual({ kind: "refused", reason: "budget" });
    expect(no.seen.marks).toHaveLength(0);
  });

  it("finds suggestion and comment marks on new text, with the client id that writes them", () => {
    const { server, update } = edit((c) => {
      const p = paragraph("some text here");
      content(c).insert(0, [p]);
      (p.get(0) as Y.XmlText).format(0, 4, { insertion: { id: "42-1", author: "Finance lead", at: 1, command: null, model: null } });
      (p.get(0) as Y.XmlText).format(5, 4, { comment: { threadId: "AbCdEf0123456789" } });
      (p.get(0) as Y.XmlText).format(10, 4, { bold: {} });
    });
    const writer = Y.decodeUpdate(update).structs[0]!.id.client;
    const { seen, ctx } = probe({ marks: "forged" });
    expect(checkUpdate(server, update, rules, new Set(), ctx)).toEqual({ kind: "refused", reason: "forged" });
    expect(seen.marks[0]!.map((m) => [m.name, m.writer, m.attrs.id ?? m.attrs.threadId])).toEqual([
      ["insertion", writer, "42-1"],
      ["comment", writer, "AbCdEf0123456789"],
    ]);
  });
});

describe("checkUpdate and node suggestion records", () => {
  it("finds a node's suggestion record as it finds a suggestion mark, with its writer", () => {
    const record = JSON.stringify({ id: "42-7", author: "Finance lead", at: 1, op: "insert" });
    const { server, update } = edit((c) => {
      const p = paragraph("suggested paragraph");
      p.setAttribute("suggestNode", record);
      content(c).insert(0, [p]);
    });
    const writer = Y.decodeUpdate(update).structs[0]!.id.client;
    const seen: FoundMark[] = [];
    const ctx: UpdateContext = {
      admit: () => null,
      marks: (m) => {
        seen.push(...m);
        return "forged";
      },
    };
    expect(checkUpdate(server, update, rules, new Set(), ctx)).toEqual({ kind: "refused", reason: "forged" });
    expect(seen.map((m) => [m.name, m.writer, m.attrs.id, m.attrs.author])).toEqual([["suggestNode", writer, "42-7", "Finance lead"]]);
  });
});

function pair(x: { server: Y.Doc; update: Uint8Array }): [Y.Doc, Uint8Array] {
  return [x.server, x.update];
}
