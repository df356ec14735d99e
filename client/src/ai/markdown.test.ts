import { getSchema } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { schemaExtensions } from "../../../shared/schema";
import { markdownToDoc } from "./markdown";

const schema = getSchema(schemaExtensions());
const json = (md: string) => JSON.stringify(markdownToDoc(md, schema).toJSON());

describe("markdownToDoc (untrusted model output → schema content)", () => {
  it("keeps Markdown structure as rich text", () => {
    const doc = markdownToDoc("# Title\n\nSome **bold** and *italic*.\n\n- one\n- two", schema);
    expect(doc.child(0).type.name).toBe("heading");
    expect(doc.child(2).type.name).toBe("bulletList");
    expect(json("Some **bold**.")).toContain('"type":"bold"');
  });

  it("drops links with unsafe targets and keeps ordinary ones", () => {
    const out = json("[bad](javascript:alert(1)) [data](data:text/html,x) [ok](https://example.com) [mail](mailto:a@b.c)");
    expect(out).not.toMatch(/javascript:|data:text/);
    expect(out).toContain("https://example.com");
    expect(out).toContain("mailto:a@b.c");
    expect(out).toContain("bad"); // the words stay, only the link goes
  });

  it("never turns raw HTML into markup", () => {
    const out = json('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">');
    expect(out).not.toMatch(/"type":"(script|image|img)"/);
    expect(out).not.toContain('onerror":');
  });

  it("renders partial Markdown while streaming without throwing", () => {
    for (const partial of ["**bo", "- item\n- ", "```js\nconst x", "[link](http", ""]) {
      expect(() => markdownToDoc(partial, schema)).not.toThrow();
    }
  });
});

describe("markdownToDoc with blocks the old reader lost or broke", () => {
  it("keeps a table as a table", () => {
    const doc = markdownToDoc("Here:\n\n| a | b |\n|---|---|\n| 1 | **2** |\n\nDone.", schema);
    expect(doc.content.content.map((n) => n.type.name)).toEqual(["paragraph", "table", "paragraph"]);
    expect(doc.textContent).toBe("Here:ab12Done.");
  });

  it("reads an image on its own line as an image block, and every streamed prefix of it", () => {
    const answer = "Intro\n\n![a chart](https://example.org/chart.png)\n\nOutro";
    for (let i = 0; i <= answer.length; i++) expect(() => markdownToDoc(answer.slice(0, i), schema).check()).not.toThrow();
    const doc = markdownToDoc(answer, schema);
    expect(doc.content.content.map((n) => n.type.name)).toEqual(["paragraph", "image", "paragraph"]);
    expect(doc.child(1).attrs.src).toBe("https://example.org/chart.png");
  });

  it("uses the shared allowlist: no protocol-relative or backslash links, no data: images", () => {
    const out = json("[a](//evil.example/x) [b](/\\evil.example/y) [c](/docs) ![d](data:image/png;base64,AAAA)");
    expect(out).not.toMatch(/evil\.example|data:image/);
    expect(out).toContain('"href":"/docs"');
  });
});
