import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { hashToken } from "./auth";
import { api } from "../test-support/api";
import { createDoc } from "../test-support/client";

async function r2Meta(id: string): Promise<{ tokenHashes: Record<string, string | undefined> }> {
  const obj = await env.SNAPSHOTS.get(`docs/${id}/meta.json`);
  if (!obj) throw new Error("no meta.json");
  return (await obj.json()) as { tokenHashes: Record<string, string | undefined> };
}

it("R2's copy of the link hashes follows resets and switch-offs, so recovery cannot revive a cut link", async () => {
  const doc = await createDoc();
  const before = await r2Meta(doc.id);
  expect(before.tokenHashes.edit).toBe(await hashToken(doc.editToken));
  expect(before.tokenHashes.owner).toBe(await hashToken(doc.ownerToken));

  const rotated = await api("POST", `/api/docs/${doc.id}/links/edit/rotate`, doc.ownerToken);
  expect(rotated.status).toBe(200);
  const fresh = rotated.body.token as string;
  await expect.poll(async () => (await r2Meta(doc.id)).tokenHashes.edit).toBe(await hashToken(fresh));

  const off = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { viewLink: "off" });
  expect(off.status).toBe(200);
  await expect.poll(async () => (await r2Meta(doc.id)).tokenHashes.view).toBeUndefined();
});
