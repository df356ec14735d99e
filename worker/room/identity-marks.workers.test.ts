/**
 * Only the editor makes marks of identity (issue 22, item 7), on the server's side: a
 * suggestion mark must carry an id of the client id that writes it, or an id the
 * document has had with the same author (moving suggested text); a comment mark may
 * only name a thread of this document (the server sets anchors; clients only carry
 * them along). Each refusal below was accepted by the code before this check.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CloseCode } from "../../shared/close-codes";
import type { Thread } from "../../shared/comments";
import { api, docStub } from "../test-support/api";
import { connect, createDoc, type Peer } from "../test-support/client";

const suggestion = (id: string, author: string) => ({ insertion: { id, author, at: 1_700_000_000_000, command: null, model: null } });

/** Waits for the verdict on everything `peer` sent: "saved", or its close code. */
async function verdict(peer: Peer): Promise<"saved" | number> {
  try {
    await peer.saved();
    return "saved";
  } catch {
    return peer.closed?.code ?? -1;
  }
}

async function reader(id: string, token: string): Promise<Peer> {
  const r = await connect(id, token);
  await r.until(() => r.synced, "sync");
  return r;
}

describe("suggestion marks", () => {
  it("a suggestion in someone else's name (an id of another client id) is refused whole", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.para().insert(0, "Pay the invoice.");
    await a.saved();
    // What an AI answer or pasted HTML would have written: <ins data-id="42-1" data-author="Finance lead">.
    a.para().insert(15, " to account 999", suggestion("42-1", "Finance lead"));
    expect(await verdict(a)).toBe(CloseCode.Unprocessable);
    expect(a.messages.some((m) => m.type === "error" && /another editor's id/.test(m.message))).toBe(true);
    expect((await reader(doc.id, doc.viewToken)).text()).toBe("Pay the invoice.");
  });

  it("own suggestions are accepted, and moving them keeps their id only with the same author", async () => {
    const doc = await createDoc();
    const ann = await connect(doc.id, doc.editToken);
    ann.para().insert(0, "Hello world");
    await ann.saved();
    const id = `${ann.doc.clientID}-1`;
    ann.para().insert(5, " there", suggestion(id, "Ann"));
    expect(await verdict(ann)).toBe("saved");

    // Bea cuts the suggested words (the marks go with them) and pastes them back
    // elsewhere, later: the text comes back under Ann's id, written by Bea's client id.
    const bea = await reader(doc.id, doc.editToken);
    bea.para().delete(5, 6);
    await bea.saved();
    bea.para().insert(bea.para().length, " there", suggestion(id, "Ann"));
    expect(await verdict(bea)).toBe("saved");

    // The same id with another author, or an id Ann never made, is a forgery.
    const eve = await reader(doc.id, doc.editToken);
    eve.para().insert(0, "Dear ", suggestion(id, "Finance lead"));
    expect(await verdict(eve)).toBe(CloseCode.Unprocessable);
    const eve2 = await reader(doc.id, doc.editToken);
    eve2.para().insert(0, "Dear ", suggestion(`${ann.doc.clientID}-99`, "Ann"));
    expect(await verdict(eve2)).toBe(CloseCode.Unprocessable);
  }, 30_000);

  it("suggestions a document held before ids were recorded can still be moved", async () => {
    const doc = await createDoc();
    const ann = await connect(doc.id, doc.editToken);
    ann.para().insert(0, "Hello world");
    ann.para().insert(5, " there", suggestion(`${ann.doc.clientID}-1`, "Ann"));
    await ann.saved();
    // As if the suggestion had been stored before this check existed: no record of it.
    await runInDurableObject(docStub(doc.id), (_i, state) => state.storage.sql.exec("DELETE FROM client_ids"));
    const bea = await reader(doc.id, doc.editToken);
    bea.para().insert(0, "Hi", suggestion(`${ann.doc.clientID}-1`, "Ann"));
    expect(await verdict(bea)).toBe("saved");
  }, 30_000);
});

describe("comment marks", () => {
  it("a client cannot anchor text to a thread the document does not have", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.para().insert(0, "Some commented text");
    await a.saved();
    a.para().format(0, 4, { comment: { threadId: "AbCdEf0123456789" } });
    expect(await verdict(a)).toBe(CloseCode.Unprocessable);
    expect(a.messages.some((m) => m.type === "error" && /comment anchor/.test(m.message))).toBe(true);
  });

  it("an existing thread's anchor travels with its text (cut and paste, undo)", async () => {
    const doc = await createDoc();
    const a = await connect(doc.id, doc.editToken);
    a.para().insert(0, "The quick brown fox jumps.");
    await a.saved();
    const res = await api("POST", `/api/docs/${doc.id}/threads`, doc.commentToken, { quote: "brown fox", body: "Which fox?" });
    expect(res.status).toBe(201);
    const thread = res.body as unknown as Thread;
    await a.until(() => JSON.stringify(a.para().toDelta()).includes(thread.id), "anchor synced");

    // Cut "brown fox" (its anchor goes with it), paste it at the end: the mark comes back.
    const undo = new Y.UndoManager(a.doc.getXmlFragment("default"), { trackedOrigins: new Set([null]) });
    a.para().delete(10, 9);
    await a.saved();
    a.para().insert(a.para().length, " brown fox", { comment: { threadId: thread.id } });
    expect(await verdict(a)).toBe("saved");
    // Undo of both brings the text back where it was, with Yjs restoring its formatting.
    undo.undo();
    undo.undo();
    expect(await verdict(a)).toBe("saved");
    const delta = (await reader(doc.id, doc.viewToken)).para().toDelta() as { insert: string; attributes?: object }[];
    expect(delta).toEqual([
      { insert: "The quick " },
      { insert: "brown fox", attributes: { comment: { threadId: thread.id } } },
      { insert: " jumps." },
    ]);
  }, 30_000);
});
