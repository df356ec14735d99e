import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendParagraph } from "../test-support/ydoc";
import { aiDisclosure, docxDisclosure, IPTC_COMPOSITE_WITH_AI } from "./ai-disclosure";
import { authorship } from "./authorship";
import { buildDocx } from "./docx";
import { htmlHead } from "./export";

const PERSON = 11;
const AI = 22;

function twoWriters(): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = PERSON;
  appendParagraph(doc, "Written by a person.");
  doc.clientID = AI;
  appendParagraph(doc, "Written by a model.");
  return doc;
}

describe("AI disclosure", () => {
  it("counts the characters AI client ids wrote, and names the models", () => {
    const d = aiDisclosure(twoWriters(), (c) => (c === AI ? "gpt-test" : null));
    expect(d).toEqual({ models: ["gpt-test"], chars: "Written by a model.".length, totalChars: 39 });
    expect(aiDisclosure(twoWriters(), () => null)).toBeNull();
  });

  it("goes into the HTML head and the Word file's properties", () => {
    const d = { models: ["gpt-test"], chars: 19, totalChars: 39 };
    const head = htmlHead("Report", d);
    expect(head).toContain(`<meta name="digital-source-type" content="${IPTC_COMPOSITE_WITH_AI}">`);
    expect(head).toContain('<meta name="ai-models" content="gpt-test">');
    expect(htmlHead("Report")).not.toContain("ai-");
    expect(docxDisclosure(d).customProperties).toContainEqual({ name: "AIGenerated", value: "partial" });
  });

  it("authorship runs follow the writers, and concatenate to each block's text", () => {
    const doc = twoWriters();
    const answer = authorship(
      doc,
      (c) => (c === AI ? "ai" : "p"),
      (ids) => [...new Set(ids)].map((id) => ({ id, name: id, kind: id === "ai" ? "ai" : "person" })),
    );
    expect(answer.blocks).toEqual([
      { text: "Written by a person.", runs: [{ text: "Written by a person.", author: "p" }] },
      { text: "Written by a model.", runs: [{ text: "Written by a model.", author: "ai" }] },
    ]);
  });
});

describe("AI disclosure in a Word file", () => {
  it("is in docProps: the description and the custom properties", async () => {
    const ai = { models: ["gpt-test"], chars: 19, totalChars: 39 };
    const files = unzipSync(
      await buildDocx(
        { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x" }] }] },
        {
          title: "Report",
          origin: "https://quire.test",
          images: new Map(),
          ai,
        },
      ),
    );
    const custom = strFromU8(files["docProps/custom.xml"]!);
    expect(custom).toContain('name="AIGenerated"');
    expect(custom).toContain("partial");
    expect(custom).toContain("gpt-test");
    expect(strFromU8(files["docProps/core.xml"]!)).toContain("written by AI (gpt-test)");
  });
});
