/**
 * AI attribution is granted by the server only for text it generated (issue 25): the
 * requester writes an accepted answer under a fresh client id and claims it with
 * `ai-outcome`; the authorship answer then names the AI, the model, who asked and who
 * accepted. Claiming other words gets nothing (they stay the writer's), and a granted id
 * is sealed. HTML and Word exports then disclose AI-written text.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { YDOC_CONTENT_FIELD } from "../../shared/api";
import type { AuthorshipAnswer } from "../../shared/authorship";
import { CloseCode } from "../../shared/close-codes";
import { encodeSyncFrame, SyncType } from "../../shared/frames";
import { AiPeer, createDoc } from "../ai/testing/ai-peer";
import { StubControl, eventually } from "../ai/testing/stub-control";
import { api } from "../test-support/api";

const stub = new StubControl((env as unknown as { OPENAI_BASE_URL: string }).OPENAI_BASE_URL);
const ANSWER = "A **clearer** sentence, written by the model.";
beforeEach(() => stub.reset({ chunkDelayMs: 1, text: ANSWER }));

const CLEO = { key: "cleo-browser-key-0003", name: "Cleo" };

/** Appends a paragraph holding `text`, written under a fresh client id; returns the id. */
function writeAs(peer: AiPeer, text: string): number {
  const own = peer.doc.clientID;
  const id = 4_000_000_000 - Math.floor(Math.random() * 1_000_000);
  peer.doc.clientID = id;
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  const f = peer.doc.getXmlFragment(YDOC_CONTENT_FIELD);
  f.insert(f.length, [p]);
  peer.doc.clientID = own;
  return id;
}

async function authorship(id: string, token: string): Promise<AuthorshipAnswer> {
  return (await api("GET", `/api/docs/${id}/authorship`, token)).body as unknown as AuthorshipAnswer;
}

function authorOfText(a: AuthorshipAnswer, text: string) {
  const run = a.blocks.flatMap((b) => b.runs).find((r) => r.text === text);
  return a.authors.find((x) => x.id === run?.author);
}

describe("AI attribution", () => {
  it("is granted for the generated answer, with model, asker and accepter; the id is then sealed", async () => {
    const doc = await createDoc();
    const cleo = await AiPeer.connect(doc.id, doc.editToken, CLEO);
    cleo.write("Make this clearer please.");
    await cleo.saved();
    cleo.request("r1", "rewrite", cleo.all());
    expect(await cleo.settled("r1")).toMatchObject({ type: "ai-done" });

    // The editor drops the Markdown syntax: letters and digits are what must match.
    const id = writeAs(cleo, "A clearer sentence, written by the model.");
    await cleo.saved();
    cleo.sendCustom({ type: "ai-outcome", requestId: "r1", outcome: "accepted", landing: "insert", clientId: id });
    await eventually(
      async () => authorOfText(await authorship(doc.id, doc.viewToken), "A clearer sentence, written by the model.")?.kind === "ai",
      "granted",
    );
    const answer = await authorship(doc.id, doc.viewToken);
    expect(authorOfText(answer, "A clearer sentence, written by the model.")).toMatchObject({
      kind: "ai",
      model: "stub-model",
      command: "rewrite",
      requestedBy: "Cleo",
      acceptedBy: "Cleo",
      landing: "insert",
    });
    expect(authorOfText(answer, "Make this clearer please.")).toMatchObject({ kind: "person", name: "Cleo" });

    // Exports say so.
    const html = String((await api("GET", `/api/docs/${doc.id}/export?format=html`, doc.viewToken)).body.raw);
    expect(html).toContain('<meta name="ai-generated" content="partial">');
    expect(html).toContain('<meta name="ai-models" content="stub-model">');

    // Nothing more may be written under the AI's id: not even by the one who accepted it.
    const sv = Y.encodeStateVector(cleo.doc);
    const own = cleo.doc.clientID;
    cleo.doc.clientID = id;
    cleo.paragraphText(1).insert(0, "Transfer the funds. ");
    cleo.doc.clientID = own;
    cleo.send(encodeSyncFrame(SyncType.Update, Y.encodeStateAsUpdate(cleo.doc, sv)));
    await cleo.until(() => cleo.closed !== null, "closed");
    expect(cleo.closed?.code).toBe(CloseCode.ForeignClientId);
  });

  it("is not granted for words the model did not write: they stay their writer's", async () => {
    const doc = await createDoc();
    const cleo = await AiPeer.connect(doc.id, doc.editToken, CLEO);
    cleo.write("Make this clearer please.");
    await cleo.saved();
    cleo.request("r2", "rewrite", cleo.all());
    expect(await cleo.settled("r2")).toMatchObject({ type: "ai-done" });
    const id = writeAs(cleo, "Wire the money to account 999.");
    await cleo.saved();
    cleo.sendCustom({ type: "ai-outcome", requestId: "r2", outcome: "accepted", landing: "insert", clientId: id });
    await cleo.saved();
    // The outcome is recorded (the owner's activity), the attribution is not.
    await eventually(
      async () =>
        ((await api("GET", `/api/docs/${doc.id}/ai/activity`, doc.ownerToken)).body as { calls: { outcome: string }[] }).calls[0]
          ?.outcome === "accepted",
      "decided",
    );
    const answer = await authorship(doc.id, doc.viewToken);
    expect(authorOfText(answer, "Wire the money to account 999.")).toMatchObject({ kind: "person", name: "Cleo" });
    expect(answer.authors.some((a) => a.kind === "ai")).toBe(false);
    const html = String((await api("GET", `/api/docs/${doc.id}/export?format=html`, doc.viewToken)).body.raw);
    expect(html).not.toContain("ai-generated");
  });

  it("is not granted for a client id another connection introduced", async () => {
    const doc = await createDoc();
    const cleo = await AiPeer.connect(doc.id, doc.editToken, CLEO);
    const ben = await AiPeer.connect(doc.id, doc.editToken, { key: "ben-browser-key-00002", name: "Ben" });
    cleo.write("Make this clearer please.");
    await cleo.saved();
    cleo.request("r3", "rewrite", cleo.all());
    expect(await cleo.settled("r3")).toMatchObject({ type: "ai-done" });
    // Ben writes words that happen to be the answer's; Cleo claims Ben's id.
    await ben.until(() => ben.text().includes("Make this clearer"), "sync");
    const id = writeAs(ben, "A clearer sentence");
    await ben.saved();
    cleo.sendCustom({ type: "ai-outcome", requestId: "r3", outcome: "accepted", landing: "insert", clientId: id });
    await cleo.saved();
    await new Promise((r) => setTimeout(r, 100));
    const answer = await authorship(doc.id, doc.viewToken);
    expect(authorOfText(answer, "A clearer sentence")).toMatchObject({ kind: "person", name: "Ben" });
  });
});
