/**
 * A tombstone storm (issue 22): deleting scattered single characters splits an item
 * into many, and every struct a document holds costs memory and work for its whole
 * life (bench/results/wear.md). Each deleted range counts as the two items its split
 * leaves against MAX_DOCUMENT_ITEMS (worker/room/growth.ts), so a storm that would pass
 * it is refused whole with 4413 before it touches the document. Fails on the code
 * before the item budget (0969d5c), which applied it.
 */
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CloseCode } from "../../shared/close-codes";
import { MAX_DOCUMENT_ITEMS } from "../../shared/limits";
import { connect, createDoc, verdict } from "../test-support/client";
import { paragraphText } from "../test-support/ydoc";

/** An update of no structs that deletes one character in every `every` of `client`'s
 * clocks [from, from + n), written by hand (a Yjs doc would take seconds to do it). */
function scatteredDeletes(client: number, from: number, n: number, every: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, 1); // one client in the delete set
  encoding.writeVarUint(e, client);
  const ranges = Math.floor(n / every);
  encoding.writeVarUint(e, ranges);
  for (let i = 0; i < ranges; i++) {
    encoding.writeVarUint(e, from + i * every);
    encoding.writeVarUint(e, 1);
  }
  return encoding.toUint8Array(e);
}

describe("items", () => {
  it("a tombstone storm past MAX_DOCUMENT_ITEMS is refused whole with 4413; smaller ones and everyone else carry on", async () => {
    const doc = await createDoc();
    const honest = await connect(doc.id, doc.editToken);
    honest.para().insert(0, "honest text");
    await honest.saved();

    // One item of MAX_DOCUMENT_ITEMS characters: a single struct, well within the budget.
    const attacker = await connect(doc.id, doc.editToken);
    await attacker.until(() => attacker.synced, "sync");
    const text = paragraphText(attacker.doc, 0);
    const from = Y.getState(attacker.doc.store, attacker.doc.clientID);
    text.insert(text.length, "y".repeat(MAX_DOCUMENT_ITEMS));
    await attacker.saved();

    // A thousand scattered deletions fit…
    expect(await verdict(attacker, scatteredDeletes(attacker.doc.clientID, from, 2_000, 2))).toBe("saved");
    // …every other character of the whole item (MAX_DOCUMENT_ITEMS / 2 ranges) does not.
    const storm = scatteredDeletes(attacker.doc.clientID, from, MAX_DOCUMENT_ITEMS, 2);
    expect(await verdict(attacker, storm)).toBe(CloseCode.TooLarge);
    expect(attacker.errors()).toContain("document-too-large");

    honest.para().insert(0, "still ");
    await honest.saved();
    const reader = await connect(doc.id, doc.viewToken);
    await reader.until(() => reader.synced, "sync");
    await reader.until(() => reader.text().startsWith("still honest text"), "the honest edit");
    // Nothing of the storm was applied: only the thousand deletions before it.
    expect(reader.text().length).toBe("still honest text".length + MAX_DOCUMENT_ITEMS - 1_000);
  }, 60_000);
});
