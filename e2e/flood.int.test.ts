/**
 * One socket sending frames as fast as a local client can (hundreds of thousands per
 * second, far more than the Durable Object handles) must be closed with 4429 and must
 * not hold up the room: the frames it had already sent are still delivered to the DO
 * after the close, so they have to cost next to nothing (guard.hasClosed), and frames
 * answered with an error cost more of the budget (REJECTED_FRAME_COST_MESSAGES).
 * Without those, a junk flood was never closed within 20 s and the other editor got no
 * "saved" in 10 s. The no-op flood is what EMPTY_UPDATE_COST_MESSAGES is for: the room
 * handles ~14,000 such frames/s here, under RATE_MESSAGES_PER_SECOND, so at one token
 * each it would never be closed.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { CloseCode } from "../shared/close-codes";
import { encodeSyncFrame, SyncType } from "../shared/frames";
import { YClient } from "./support/yclient";
import { createDoc, docUrl, startQuire, type QuireServer } from "./support/server";

const FLOOD_MS = 20_000;

let server: QuireServer;
beforeAll(async () => {
  server = await startQuire();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const frames = {
  // Not a y-websocket message type: answered with a bad-frame error each time.
  junk: new Uint8Array([9, 9, 9]),
  // A valid update that changes nothing: accepted silently.
  "no-op": encodeSyncFrame(SyncType.Update, Y.encodeStateAsUpdate(new Y.Doc())),
};

for (const [kind, frame] of Object.entries(frames)) {
  it(`closes a socket flooding ${kind} frames with 4429, and the other editor's edit is saved`, async () => {
    const doc = await createDoc(server);
    const url = docUrl(server, doc.id, doc.editToken);
    const good = await YClient.open(url);
    const flood = await YClient.open(url);
    const t0 = performance.now();
    let sent = 0;
    while (!flood.closeEvent && performance.now() - t0 < FLOOD_MS) {
      for (let i = 0; i < 2000; i++) flood.sendRaw(frame);
      sent += 2000;
      await new Promise((r) => setTimeout(r, 5));
    }
    const closedAfterS = (performance.now() - t0) / 1000;
    console.log(`flood (${kind}): ${sent} frames sent, closed ${flood.closeEvent?.code ?? "never"} after ${closedAfterS.toFixed(1)} s`);
    expect(flood.closeEvent?.code).toBe(CloseCode.TooManyRequests);
    good.paragraph().insert(0, "still here");
    await good.saved(10_000);
    expect(good.closeEvent).toBeNull();
    good.ws.close();
  }, 60_000);
}
