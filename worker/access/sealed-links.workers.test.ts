/**
 * Share links the owner can read back in any browser: tokens sealed under a key only
 * the owner token derives (sealed-links.ts), GET …/links for the owner only, resets and
 * switches that keep the sealed copies exact, the owner link's own reset, and the
 * always-200 GET …/access.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/close-codes";
import type { Document } from "../Document";
import { api, docStub } from "../test-support/api";
import { ORIGIN, connect, createDoc } from "../test-support/client";
import { restart } from "../test-support/storage";
import { seal, sealKey, unseal } from "./sealed-links";

const UNKNOWN = "AAAAAAAAAAAAAAAAAAAAAA";
const url = (id: string, kind: string, token: string) => `${ORIGIN}/d/${id}#${kind}=${token}`;

/** Every value in the document's meta table, as text. */
const metaValues = (id: string): Promise<string[]> =>
  runInDurableObject(docStub(id), (_i: Document, s) =>
    s.storage.sql
      .exec("SELECT key, value FROM meta")
      .toArray()
      .map((r) => `${String(r.key)}=${String(r.value)}`),
  );

describe("sealing", () => {
  it("round-trips under the owner's key and opens under no other key, document or kind", async () => {
    const owner = "O".repeat(43);
    const key = await sealKey(owner, "doc-a");
    const sealed = await seal(key, "doc-a", "edit", "the-edit-token");
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("the-edit-token");
    expect(await unseal(key, "doc-a", "edit", sealed)).toBe("the-edit-token");
    // Fresh IV each time: the same token never seals to the same value.
    expect(await seal(key, "doc-a", "edit", "the-edit-token")).not.toBe(sealed);

    expect(await unseal(await sealKey("E".repeat(43), "doc-a"), "doc-a", "edit", sealed)).toBeNull();
    expect(await unseal(await sealKey(owner, "doc-b"), "doc-b", "edit", sealed)).toBeNull();
    expect(await unseal(key, "doc-b", "edit", sealed)).toBeNull();
    expect(await unseal(key, "doc-a", "view", sealed)).toBeNull();
    const [v, iv, data] = sealed.split(".");
    const flipped = `${data!.slice(0, -2)}${data!.at(-2) === "A" ? "B" : "A"}${data!.at(-1)}`;
    for (const bad of [`${v}.${iv}.${flipped}`, `v2.${iv}.${data}`, "v1..", "v1.%%%.x", "", "v1.a"]) {
      expect(await unseal(key, "doc-a", "edit", bad)).toBeNull();
    }
  });
});

describe("GET /api/docs/<id>/links", () => {
  it("gives the owner the current share links, in any browser, and stores no token in the clear", async () => {
    const doc = await createDoc();
    const res = await api("GET", `/api/docs/${doc.id}/links`, doc.ownerToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({
      edit: { state: "on", url: url(doc.id, "edit", doc.editToken) },
      comment: { state: "on", url: url(doc.id, "comment", doc.commentToken) },
      view: { state: "on", url: url(doc.id, "view", doc.viewToken) },
    });
    const stored = (await metaValues(doc.id)).join("\n");
    for (const token of [doc.ownerToken, doc.editToken, doc.commentToken, doc.viewToken]) expect(stored).not.toContain(token);
    expect(stored).toMatch(/sealed_link_edit=v1\./);
  });

  it("is refused to every other link, and a key from another token opens nothing", async () => {
    const doc = await createDoc();
    for (const token of [doc.editToken, doc.commentToken, doc.viewToken]) {
      const res = await api("GET", `/api/docs/${doc.id}/links`, token);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain(doc.editToken);
    }
    expect((await api("GET", `/api/docs/${doc.id}/links`, null)).status).toBe(401);
    expect((await api("GET", `/api/docs/${doc.id}/links`, "x".repeat(43))).status).toBe(403);
    // What storage holds cannot be opened with the other links' keys either.
    const sealed = (await metaValues(doc.id)).find((v) => v.startsWith("sealed_link_edit="))!.split("=")[1]!;
    for (const token of [doc.editToken, doc.commentToken, doc.viewToken]) {
      expect(await unseal(await sealKey(token, doc.id), doc.id, "edit", sealed)).toBeNull();
    }
    expect(await unseal(await sealKey(doc.ownerToken, doc.id), doc.id, "edit", sealed)).toBe(doc.editToken);
  });

  it("follows resets and switches: the new token after a reset, off while off, a new one when back on", async () => {
    const doc = await createDoc();
    const links = async () => (await api("GET", `/api/docs/${doc.id}/links`, doc.ownerToken)).body;
    const rotated = await api("POST", `/api/docs/${doc.id}/links/edit/rotate`, doc.ownerToken);
    expect((await links()).edit).toEqual({ state: "on", url: rotated.body.url });

    await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { viewLink: "off" });
    expect((await links()).view).toEqual({ state: "off", url: null });
    expect((await metaValues(doc.id)).some((v) => v.startsWith("sealed_link_view="))).toBe(false);

    const on = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { viewLink: "on" });
    const issued = (on.body.issued as { view: { token: string; url: string } }).view;
    expect((await links()).view).toEqual({ state: "on", url: issued.url });
    expect((await links()).comment).toEqual({ state: "on", url: url(doc.id, "comment", doc.commentToken) });
  });

  it("says a link is on without its address when its token was never sealed (documents from before)", async () => {
    const doc = await createDoc();
    await runInDurableObject(docStub(doc.id), async (_i: Document, s) => {
      s.storage.sql.exec("DELETE FROM meta WHERE key = 'sealed_link_comment'");
    });
    await restart(doc.id);
    const res = await api("GET", `/api/docs/${doc.id}/links`, doc.ownerToken);
    expect(res.body.comment).toEqual({ state: "on", url: null });
    expect(res.body.edit).toEqual({ state: "on", url: url(doc.id, "edit", doc.editToken) });
    // A reset gives it one again.
    const rotated = await api("POST", `/api/docs/${doc.id}/links/comment/rotate`, doc.ownerToken);
    expect((await api("GET", `/api/docs/${doc.id}/links`, doc.ownerToken)).body.comment).toEqual({ state: "on", url: rotated.body.url });
  });

  it("comes back with a document rebuilt from R2", async () => {
    const doc = await createDoc();
    await runInDurableObject(docStub(doc.id), (_i: Document, s) => s.storage.deleteAll());
    await restart(doc.id);
    const res = await api("GET", `/api/docs/${doc.id}/links`, doc.ownerToken);
    expect(res.status).toBe(200);
    expect(res.body.view).toEqual({ state: "on", url: url(doc.id, "view", doc.viewToken) });
  });
});

describe("POST /api/docs/<id>/links/owner/rotate", () => {
  it("gives a new owner link, cuts the old one's holders, and keeps every share link working and readable", async () => {
    const doc = await createDoc();
    const oldOwner = await connect(doc.id, doc.ownerToken);
    const editor = await connect(doc.id, doc.editToken);
    for (const token of [doc.editToken, doc.viewToken]) {
      expect((await api("POST", `/api/docs/${doc.id}/links/owner/rotate`, token)).status).toBe(403);
    }

    const res = await api("POST", `/api/docs/${doc.id}/links/owner/rotate`, doc.ownerToken);
    expect(res.status).toBe(200);
    const { token, url: ownerUrl } = res.body as { token: string; url: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ownerUrl).toBe(url(doc.id, "owner", token));
    await oldOwner.until(() => oldOwner.closed !== null, "old owner cut", 1000);
    expect(oldOwner.closed?.code).toBe(CloseCode.Forbidden);
    expect(editor.closed).toBeNull();

    expect((await api("GET", `/api/docs/${doc.id}`, doc.ownerToken)).status).toBe(403);
    expect((await api("GET", `/api/docs/${doc.id}/links`, doc.ownerToken)).status).toBe(403);
    expect((await api("GET", `/api/docs/${doc.id}`, token)).body.role).toBe("owner");
    expect((await api("GET", `/api/docs/${doc.id}/links`, token)).body).toEqual({
      edit: { state: "on", url: url(doc.id, "edit", doc.editToken) },
      comment: { state: "on", url: url(doc.id, "comment", doc.commentToken) },
      view: { state: "on", url: url(doc.id, "view", doc.viewToken) },
    });
    // Sealed again: the old owner token's key opens nothing any more.
    const sealed = (await metaValues(doc.id)).find((v) => v.startsWith("sealed_link_view="))!.split("=")[1]!;
    expect(await unseal(await sealKey(doc.ownerToken, doc.id), doc.id, "view", sealed)).toBeNull();
    for (const t of [doc.editToken, doc.commentToken, doc.viewToken]) expect((await api("GET", `/api/docs/${doc.id}`, t)).status).toBe(200);
    editor.close();
  });
});

describe("GET /api/docs/<id>/access", () => {
  it("answers 200 with what a token opens: the document, nothing, or that it is gone", async () => {
    const doc = await createDoc("Probe");
    const open = await api("GET", `/api/docs/${doc.id}/access`, doc.commentToken);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ access: "open", info: { id: doc.id, title: "Probe", role: "commenter" } });
    expect((open.body.info as Record<string, unknown>).links).toBeUndefined();
    expect((await api("GET", `/api/docs/${doc.id}/access`, doc.ownerToken)).body).toMatchObject({
      access: "open",
      info: { role: "owner", links: { edit: "on", comment: "on", view: "on" } },
    });
    for (const token of [null, "x".repeat(43)]) {
      const res = await api("GET", `/api/docs/${doc.id}/access`, token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access: "refused" });
    }
    await api("POST", `/api/docs/${doc.id}/links/view/rotate`, doc.ownerToken);
    expect((await api("GET", `/api/docs/${doc.id}/access`, doc.viewToken)).body).toEqual({ access: "refused" });
    expect((await api("GET", `/api/docs/${UNKNOWN}/access`, doc.viewToken)).body).toEqual({ access: "missing" });
    await api("DELETE", `/api/docs/${doc.id}`, doc.ownerToken);
    const gone = await api("GET", `/api/docs/${doc.id}/access`, doc.editToken);
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ access: "deleted" });
  });
});
