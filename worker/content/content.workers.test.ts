/**
 * Content through the real Worker and Durable Object: Markdown import with blocks the
 * old import lost or broke, and exports (current and versions) of stored content no
 * editor would write. Odd content is put straight into the Durable Object's document,
 * as if stored before the server checked updates; the socket path refuses it now.
 */
import { runInDurableObject } from "cloudflare:test";
import { getSchema } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { schemaExtensions } from "../../shared/schema";
import type { Document } from "../Document";
import { docStub } from "../test-support/api";
import { createDoc } from "../test-support/client";
import { api, apiJson } from "../test-support/content";
import { roomOf } from "../test-support/room";

const schema = getSchema(schemaExtensions());
const FORMATS = ["json", "md", "html", "txt"] as const;

async function exported(id: string, token: string, format: string, version?: string): Promise<{ status: number; body: string }> {
  const path = version ? `/api/docs/${id}/versions/${version}?format=${format}` : `/api/docs/${id}/export?format=${format}`;
  const res = await api(path, { token, method: "GET" });
  return { status: res.status, body: await res.text() };
}

describe("Markdown import through the API", () => {
  it("stores a block image and a table as nodes the editor reads (JSON export has no arrays or bare text in doc.content)", async () => {
    const markdown = "Intro\n\n![an image](https://example.org/x.png)\n\n| a | b |\n|---|---|\n| 1 | **2** |\n\nOutro";
    const res = await api("/api/docs", { body: { markdown } });
    expect(res.status).toBe(201);
    const doc = (await res.json()) as { id: string; ownerToken: string };
    const json = JSON.parse((await exported(doc.id, doc.ownerToken, "json")).body) as {
      type: string;
      content: { type: string; attrs?: Record<string, unknown> }[];
    };
    expect(() => schema.nodeFromJSON(json).check()).not.toThrow();
    expect(json.content.map((n) => n.type)).toEqual(["paragraph", "image", "table", "paragraph"]);
    expect(json.content[1]!.attrs!.src).toBe("https://example.org/x.png");
    expect((await exported(doc.id, doc.ownerToken, "md")).body).toMatch(
      /!\[an image\]\(https:\/\/example\.org\/x\.png\)[\s\S]*\| a +\| b +\|\n\| -+ \| -+ \|\n\| 1 +\| \*\*2\*\* +\|/,
    );
    expect((await exported(doc.id, doc.ownerToken, "html")).body).toMatch(/<img src="https:\/\/example\.org\/x\.png"[^>]*>.*<table/s);
    expect((await exported(doc.id, doc.ownerToken, "txt")).body).toBe("Intro\n\nan image\n\na\tb\n1\t2\n\nOutro\n");
  });

  it("PUT …/content appends a table after what is there", async () => {
    const doc = await createDoc();
    const res = await api(`/api/docs/${doc.id}/content`, {
      token: doc.editToken,
      method: "PUT",
      body: { markdown: "| x |\n|---|\n| y |", mode: "append" },
    });
    expect(res.status).toBe(200);
    const json = JSON.parse((await exported(doc.id, doc.editToken, "json")).body) as { content: { type: string }[] };
    expect(json.content.map((n) => n.type)).toContain("table");
  });
});

/** Content no editor writes: a quote nested 20,000 deep, a script element, unknown
 * nodes and marks, a nested XmlFragment, attributes of the wrong type. */
function oddContent(): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const f = doc.getXmlFragment("default");
    let quote = new Y.XmlElement("blockquote");
    const script = new Y.XmlElement("script");
    const widget = new Y.XmlElement("fancyWidget");
    const heading = new Y.XmlElement("heading");
    const image = new Y.XmlElement("image");
    const nested = new Y.XmlFragment();
    const marked = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    f.insert(0, [quote, script, widget, heading, image, nested as unknown as Y.XmlElement, marked]);
    for (let i = 0; i < 20_000; i++) {
      const inner = new Y.XmlElement("blockquote");
      quote.insert(0, [inner]);
      quote = inner;
    }
    const deep = new Y.XmlElement("paragraph");
    quote.insert(0, [deep]);
    deep.insert(0, [new Y.XmlText("deep down")]);
    script.insert(0, [new Y.XmlText("alert(1)")]);
    widget.insert(0, [new Y.XmlText("widget text")]);
    heading.setAttribute("level", { x: 1 } as unknown as string);
    heading.insert(0, [new Y.XmlText("Heading")]);
    image.setAttribute("src", "javascript:alert(2)");
    image.setAttribute("alt", "image alt");
    image.setAttribute("width", "wide");
    marked.insert(0, [text]);
    text.insert(0, "marked", { blink: {}, bold: {} });
  });
  return Y.encodeStateAsUpdate(doc);
}

describe("exports of stored content no editor writes", () => {
  it("answer every format, current and as a version, never a 500, never raw", async () => {
    const doc = await createDoc();
    const update = oddContent();
    await runInDurableObject(docStub(doc.id), (instance: Document) => {
      const live = roomOf(instance).doc();
      // The same yjs as this test's (else applying structs across copies would corrupt).
      expect(live).toBeInstanceOf(Y.Doc);
      Y.applyUpdate(live, update);
    });
    for (const format of FORMATS) {
      const { status, body } = await exported(doc.id, doc.viewToken, format);
      expect(status, format).toBe(200);
      for (const text of ["deep down", "alert(1)", "widget text", "Heading", "image alt", "marked"]) expect(body, format).toContain(text);
      expect(body, format).not.toMatch(/<script|javascript:|blink/);
    }
    const version = await apiJson<{ id: string }>(`/api/docs/${doc.id}/versions`, { token: doc.editToken, body: { name: "odd" } });
    for (const format of FORMATS) {
      const { status, body } = await exported(doc.id, doc.viewToken, format, version.id);
      expect(status, `version ${format}`).toBe(200);
      expect(body).toContain("deep down");
    }
    const restored = await api(`/api/docs/${doc.id}/versions/${version.id}/restore`, { token: doc.editToken, body: { mode: "client" } });
    expect(restored.status).toBe(200);
    const { content } = (await restored.json()) as { content: unknown };
    expect(() => schema.nodeFromJSON(content).check()).not.toThrow();
  });
});
