/** Exports and AI input read suggestions as accepted and carry no review marks. */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import { docToJson, exportDoc, jsonToText } from "./export";

function docWith(): Y.Doc {
  const doc = new Y.Doc();
  const p = new Y.XmlElement("paragraph");
  doc.getXmlFragment(YDOC_CONTENT_FIELD).insert(0, [p]);
  const t = new Y.XmlText();
  p.insert(0, [t]);
  t.insert(0, "keep ");
  t.insert(5, "added ", { insertion: { id: "1-1", author: "Sam", at: 1, command: null, model: null } });
  t.insert(11, "gone ", { deletion: { id: "1-2", author: "Sam", at: 2, command: null, model: null } });
  t.insert(16, "noted", { comment: { threadId: "AbCdEfGh1234" } });
  return doc;
}

describe("exports and suggestions", () => {
  it("leave suggested insertions out and suggested deletions in, without any review mark", () => {
    const doc = docWith();
    expect(jsonToText(docToJson(doc))).toBe("keep gone noted");
    const html = exportDoc(doc, "html", "t").body;
    expect(html).toContain("keep gone noted");
    expect(html).not.toMatch(/<ins|<del|data-thread-id|data-id/);
    expect(exportDoc(doc, "md", "t").body.trim()).toBe("keep gone noted");
  });

  it("include every suggested text on request", () => {
    expect(jsonToText(docToJson(docWith(), "include"))).toBe("keep added gone noted");
  });
});
