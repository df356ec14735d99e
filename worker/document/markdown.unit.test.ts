import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { decodeGrant, encodeGrant } from "./connections";
import { insertBlocks, parseMarkdown } from "./markdown";

function into(md: string, existing?: (f: Y.XmlFragment) => void, mode: "append" | "replace" = "append") {
  const doc = new Y.Doc();
  const f = doc.getXmlFragment("default");
  if (existing) existing(f);
  const parsed = parseMarkdown(md);
  doc.transact(() => insertBlocks(f, parsed, mode));
  return yXmlFragmentToProsemirrorJSON(f) as { content: { type: string; content?: { text?: string; marks?: { type: string; attrs?: Record<string, unknown> }[] }[] }[] };
}

describe("markdown import", () => {
  it("keeps structure and marks through the copy into the live document", () => {
    const json = into("# Title\n\nA **bold** word.\n\n- [ ] task\n\n> quote");
    expect(json.content.map((n) => n.type)).toEqual(["heading", "paragraph", "taskList", "blockquote"]);
    const bold = json.content[1]!.content!.find((t) => t.text === "bold");
    expect(bold?.marks?.map((m) => m.type)).toEqual(["bold"]);
  });

  it("drops links whose target the editor would refuse, keeps the text", () => {
    const json = into("[ok](https://a.example) [bad](javascript:alert(1)) [data](data:text/html,x)");
    const parts = json.content[0]!.content!;
    const linked = parts.filter((p) => p.marks?.some((m) => m.type === "link"));
    expect(linked.map((p) => p.marks![0]!.attrs!.href)).toEqual(["https://a.example"]);
    expect(parts.map((p) => p.text).join("")).toContain("bad");
  });

  it("appends after or replaces what is there", () => {
    const seed = (f: Y.XmlFragment) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText("old")]);
      f.insert(0, [p]);
    };
    expect(into("new", seed, "append").content).toHaveLength(2);
    const replaced = into("new", seed, "replace");
    expect(replaced.content).toHaveLength(1);
    expect(replaced.content[0]!.content![0]!.text).toBe("new");
  });

  it("reports the size of what it would add", () => {
    expect(parseMarkdown("x".repeat(10_000)).bytes).toBeGreaterThan(10_000);
    expect(parseMarkdown("").blocks).toHaveLength(0);
  });
});

describe("connection grants", () => {
  it("round-trip through the header and reject anything else", () => {
    expect(decodeGrant(encodeGrant({ kind: "edit", gen: 3 }))).toEqual({ kind: "edit", gen: 3 });
    for (const bad of [null, "", "admin:1", "edit:", "edit:-1", "edit:1:2", "owner:1e3"]) {
      expect(decodeGrant(bad)).toBeNull();
    }
  });
});
