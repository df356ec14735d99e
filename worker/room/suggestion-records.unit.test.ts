/** The update check knows suggestions beyond text: the `formatting` mark and the node
 * records (suggestNode, suggestBreak, suggestFrom) as the editor writes them pass;
 * records that are not what shared/content-attrs.ts allows are refused. */
import type { JSONContent } from "@tiptap/core";
import { initProseMirrorDoc, updateYFragment } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { editorSchema } from "../../shared/schema";
import { defaultRules } from "./content-rules";
import { checkUpdate } from "./update-check";

const who = { author: "Sam", at: 1_700_000_000_000 };
const rec = (r: object) => JSON.stringify({ ...who, ...r });

/** The update a client sends when it writes `json` (through y-prosemirror, as the editor does). */
function written(json: JSONContent): { server: Y.Doc; update: Uint8Array } {
  const server = new Y.Doc();
  const client = new Y.Doc();
  const updates: Uint8Array[] = [];
  client.on("update", (u: Uint8Array) => updates.push(u));
  const fragment = client.getXmlFragment("default");
  const { meta } = initProseMirrorDoc(fragment, editorSchema());
  client.transact(() => updateYFragment(client, fragment, editorSchema().nodeFromJSON(json), meta));
  return { server, update: Y.mergeUpdates(updates) };
}

/** The update a client sends when it writes raw Yjs (what a hostile client can do). */
function raw(change: (fragment: Y.XmlFragment) => void): { server: Y.Doc; update: Uint8Array } {
  const server = new Y.Doc();
  const client = new Y.Doc();
  const updates: Uint8Array[] = [];
  client.on("update", (u: Uint8Array) => updates.push(u));
  client.transact(() => change(client.getXmlFragment("default")));
  return { server, update: Y.mergeUpdates(updates) };
}

const verdict = ({ server, update }: { server: Y.Doc; update: Uint8Array }) => checkUpdate(server, update, defaultRules());

describe("suggestions in updates", () => {
  it("accepts formatting marks and node records as the editor writes them", () => {
    const doc: JSONContent = {
      type: "doc",
      content: [
        {
          type: "heading",
          attrs: { level: 2, suggestFrom: rec({ id: "12-1", type: "paragraph", attrs: {} }) },
          content: [{ type: "text", text: "T" }],
        },
        {
          type: "paragraph",
          attrs: { suggestBreak: rec({ id: "12-2", op: "split" }) },
          content: [
            {
              type: "text",
              text: "bold",
              marks: [
                { type: "bold" },
                { type: "formatting", attrs: { id: "12-3", ...who, before: JSON.stringify([{ type: "italic" }]) } },
              ],
            },
            { type: "hardBreak", attrs: { suggestNode: rec({ id: "12-4", op: "insert" }) } },
          ],
        },
        {
          type: "image",
          attrs: { src: "https://example.com/a.png", suggestNode: rec({ id: "12-5", op: "delete", command: "rewrite", model: "m" }) },
        },
      ],
    };
    expect(verdict(written(doc))).toEqual({ kind: "ok" });
  });

  it("refuses records and formatting marks that are not what the schema allows", () => {
    const withAttr = (value: unknown, attr = "suggestNode") =>
      raw((f) => {
        const p = new Y.XmlElement("paragraph");
        p.setAttribute(attr, value as string);
        f.insert(0, [p]);
      });
    for (const bad of [
      "not json",
      rec({ id: "12-1", op: "explode" }),
      rec({ id: "max+1", op: "insert" }),
      JSON.stringify({ id: "12-1", op: "insert" }), // no author or time
      { id: "12-1", op: "insert", ...who }, // an object, not JSON text
      rec({ id: "12-1", op: "insert", author: "x".repeat(500) }),
    ]) {
      expect(verdict(withAttr(bad)), JSON.stringify(bad)).toMatchObject({ kind: "refused" });
    }
    expect(verdict(withAttr(rec({ id: "12-1", type: "heading", attrs: { level: 99 } }), "suggestFrom"))).toMatchObject({ kind: "refused" });
    expect(verdict(withAttr(rec({ id: "12-1", op: "join" }), "suggestBreak"))).toEqual({ kind: "ok" });

    const formatted = (before: unknown) =>
      raw((f) => {
        const p = new Y.XmlElement("paragraph");
        f.insert(0, [p]);
        const t = new Y.XmlText("text");
        p.insert(0, [t]);
        t.format(0, 4, { formatting: { id: "12-1", ...who, before } });
      });
    expect(verdict(formatted(JSON.stringify([{ type: "bold" }])))).toEqual({ kind: "ok" });
    for (const bad of [
      "[",
      JSON.stringify([{ type: "link", attrs: { href: "javascript:alert(1)" } }]),
      JSON.stringify(Array(40).fill({ type: "bold" })),
    ]) {
      expect(verdict(formatted(bad)), bad).toMatchObject({ kind: "refused" });
    }
  });
});
