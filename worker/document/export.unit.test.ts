import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { exportDoc } from "./export";

function sampleDoc(): Y.Doc {
  const doc = new Y.Doc();
  const f = doc.getXmlFragment("default");
  const h = new Y.XmlElement("heading");
  h.setAttribute("level", 2 as unknown as string);
  h.insert(0, [new Y.XmlText("Plan <img src=x onerror=alert(1)>")]);
  const p = new Y.XmlElement("paragraph");
  const t = new Y.XmlText();
  t.insert(0, "click", { link: { href: "javascript:alert(1)" } });
  t.insert(5, " and ", { link: null });
  t.insert(10, "go", { italic: true });
  p.insert(0, [t]);
  const list = new Y.XmlElement("bulletList");
  const li = new Y.XmlElement("listItem");
  const lp = new Y.XmlElement("paragraph");
  lp.insert(0, [new Y.XmlText("item")]);
  li.insert(0, [lp]);
  list.insert(0, [li]);
  f.insert(0, [h, p, list]);
  return doc;
}

describe("exportDoc", () => {
  it("serializes Markdown with Tiptap's serializer", () => {
    const md = exportDoc(sampleDoc(), "md", "T").body;
    expect(md).toContain("## Plan");
    expect(md).toContain("*go*");
    expect(md).toContain("- item");
  });

  it("keeps HTML inert: escaped text, no javascript: links", () => {
    const html = exportDoc(sampleDoc(), "html", "<b>T</b>").body;
    expect(html).not.toContain("<img");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("&lt;img");
    expect(html).toContain("<title>&#60;b&#62;T&#60;/b&#62;</title>");
    expect(html).toContain("<em>go</em>");
  });

  it("gives plain text line by line", () => {
    const txt = exportDoc(sampleDoc(), "txt", "T").body;
    expect(txt.split("\n").filter(Boolean)).toEqual(["Plan <img src=x onerror=alert(1)>", "click and go", "item"]);
  });

  it("gives ProseMirror JSON", () => {
    const json = JSON.parse(exportDoc(sampleDoc(), "json", "T").body) as { type: string; content: { type: string }[] };
    expect(json.type).toBe("doc");
    expect(json.content.map((n) => n.type)).toEqual(["heading", "paragraph", "bulletList"]);
  });
});
