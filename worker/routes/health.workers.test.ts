/**
 * GET /api/docs/<id>/health (owner only), served by the room: the document's size and
 * the client ids its check stage recorded (room/defense.ts), each against its limit.
 */
import { describe, expect, it } from "vitest";
import type { DocHealth } from "../../shared/health";
import { MAX_CLIENT_IDS_PER_DOCUMENT } from "../../shared/limits";
import { connect, createDoc } from "../test-support/client";
import { api, apiJson } from "../test-support/content";

describe("document health", () => {
  it("tells the owner the client ids the room recorded this hour; other links get 403", async () => {
    const doc = await createDoc();
    const before = await apiJson<DocHealth>(`/api/docs/${doc.id}/health`, { token: doc.ownerToken });
    for (const n of [1, 2]) {
      const peer = await connect(doc.id, doc.editToken);
      peer.para().insert(0, `session ${n} `);
      await peer.saved();
      peer.close();
    }
    const after = await apiJson<DocHealth>(`/api/docs/${doc.id}/health`, { token: doc.ownerToken });
    expect(after.newClientIdsLastHour.value).toBe(before.newClientIdsLastHour.value + 2);
    expect(after.clientIds).toEqual({ value: before.clientIds.value + 2, limit: MAX_CLIENT_IDS_PER_DOCUMENT });
    expect(after.level).toBe("ok");
    for (const token of [doc.editToken, doc.commentToken, doc.viewToken]) {
      expect((await api(`/api/docs/${doc.id}/health`, { token })).status).toBe(403);
    }
  });
});
