import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { hashToken } from "./auth";
import { sealKey, unseal } from "./sealed-links";
import { api } from "../test-support/api";
import { createDoc } from "../test-support/client";

interface Meta {
  tokenHashes: Record<string, string | undefined>;
  sealedLinks?: Record<string, string | undefined>;
}

async function r2Meta(id: string): Promise<Meta> {
  const obj = await env.SNAPSHOTS.get(`docs/${id}/meta.json`);
  if (!obj) throw new Error("no meta.json");
  return (await obj.json()) as Meta;
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
  // The sealed copy travels with its hash: the owner reads the new link back after a recovery too.
  const key = await sealKey(doc.ownerToken, doc.id);
  expect(await unseal(key, doc.id, "edit", (await r2Meta(doc.id)).sealedLinks!.edit!)).toBe(fresh);

  const off = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { viewLink: "off" });
  expect(off.status).toBe(200);
  await expect.poll(async () => (await r2Meta(doc.id)).tokenHashes.view).toBeUndefined();
  expect((await r2Meta(doc.id)).sealedLinks?.view).toBeUndefined();
});
