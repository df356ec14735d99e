/**
 * Sharing and documents inside workerd: every management endpoint and role, link
 * resets and switches cutting live sockets, and roles that survive hibernation.
 */
import { SELF, evictDurableObject, runInDurableObject } from "cloudflare:test";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { YDOC_META_MAP, YDOC_META_TITLE } from "../../shared/api";
import { CloseCode } from "../../shared/close-codes";
import { MAX_IMPORT_BODY_BYTES, MAX_IMPORT_MARKDOWN_BYTES, MAX_TITLE_CHARS } from "../../shared/limits";
import type { Document } from "../Document";
import { api, docStub } from "../test-support/api";
import { ORIGIN, connect, createDoc, type Peer } from "../test-support/client";

const UNKNOWN = "AAAAAAAAAAAAAAAAAAAAAA";
const title = (p: Peer) => p.doc.getMap(YDOC_META_MAP).get(YDOC_META_TITLE);

describe("GET /api/docs/<id>", () => {
  it("answers with the role of the presented token, links for the owner only", async () => {
    const before = Date.now();
    const doc = await createDoc("Roles");
    expect(doc.ownerToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([doc.ownerToken, doc.editToken, doc.viewToken]).size).toBe(3);
    expect(doc.ownerUrl).toBe(`${ORIGIN}/d/${doc.id}#owner=${doc.ownerToken}`);

    const cases = [
      [doc.ownerToken, "owner"],
      [doc.editToken, "editor"],
      [doc.viewToken, "viewer"],
    ] as const;
    for (const [token, role] of cases) {
      const res = await api("GET", `/api/docs/${doc.id}`, token);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.body).toMatchObject({ id: doc.id, title: "Roles", role });
      expect(res.body.createdAt).toBeGreaterThanOrEqual(before);
      expect(res.body.updatedAt).toBeGreaterThanOrEqual(res.body.createdAt as number);
      if (role === "owner") expect(res.body.links).toEqual({ edit: "on", comment: "on", view: "on" });
      else expect(res.body.links).toBeUndefined();
    }
  });

  it("answers 401 without a token, 403 with a wrong one, 404 for an unknown document", async () => {
    const doc = await createDoc();
    const other = await createDoc();
    expect((await api("GET", `/api/docs/${doc.id}`, null)).status).toBe(401);
    const wrong = await api("GET", `/api/docs/${doc.id}`, other.ownerToken);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe("forbidden");
    expect((await api("GET", `/api/docs/${UNKNOWN}`, doc.ownerToken)).status).toBe(404);
    expect((await api("POST", `/api/docs/${doc.id}`, doc.ownerToken)).status).toBe(405);
    expect((await api("GET", `/api/docs/${doc.id}/links/owner/rotate`, doc.ownerToken)).status).toBe(405);
    expect((await api("GET", `/api/docs/${doc.id}/links/edit/rotate`, doc.ownerToken)).status).toBe(405);
  });

  it("moves updatedAt when the document changes", async () => {
    const doc = await createDoc();
    const first = await api("GET", `/api/docs/${doc.id}`, doc.viewToken);
    await new Promise((r) => setTimeout(r, 1100));
    const a = await connect(doc.id, doc.editToken);
    a.para().insert(0, "later");
    await a.saved();
    const second = await api("GET", `/api/docs/${doc.id}`, doc.viewToken);
    expect(second.body.updatedAt as number).toBeGreaterThan(first.body.updatedAt as number);
    a.close();
  });
});

describe("PATCH /api/docs/<id>", () => {
  it("renames for owners and editors, live for connected peers; viewers get 403", async () => {
    const doc = await createDoc("Old");
    const peer = await connect(doc.id, doc.viewToken);
    await peer.until(() => title(peer) === "Old", "title synced");

    const byEditor = await api("PATCH", `/api/docs/${doc.id}`, doc.editToken, { title: "  New   name " });
    expect(byEditor.status).toBe(200);
    expect(byEditor.body).toMatchObject({ title: "New name", role: "editor" });
    await peer.until(() => title(peer) === "New name", "rename seen live");

    const byOwner = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { title: "Owner's" });
    expect(byOwner.body).toMatchObject({ title: "Owner's", role: "owner", links: { edit: "on", comment: "on", view: "on" } });

    const byViewer = await api("PATCH", `/api/docs/${doc.id}`, doc.viewToken, { title: "Nope" });
    expect(byViewer.status).toBe(403);
    expect(typeof byViewer.body.message).toBe("string");
    expect((await api("GET", `/api/docs/${doc.id}`, doc.viewToken)).body.title).toBe("Owner's");
    peer.close();
  });

  it("refuses junk, blank or overlong titles, unknown fields and empty patches with 400", async () => {
    const doc = await createDoc("Keep");
    const bodies: unknown[] = [
      "{nope",
      "",
      {},
      { title: "" },
      { title: "   " },
      { title: "x".repeat(MAX_TITLE_CHARS + 1) },
      { title: 5 },
      { editLink: "maybe" },
      { title: "ok", extra: true },
      [],
    ];
    for (const body of bodies) {
      const res = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(typeof res.body.message).toBe("string");
    }
    expect((await api("GET", `/api/docs/${doc.id}`, doc.ownerToken)).body.title).toBe("Keep");
    // The schemas are zod/mini, which has no messages of its own: the server says what is wrong.
    const messageFor = async (body: unknown) => (await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, body)).body.message;
    expect(await messageFor({ title: "   " })).toBe("title: title must not be blank");
    expect(await messageFor({ title: 5 })).toMatch(/^title: Invalid input: expected string/);
    expect(await messageFor({ title: "ok", extra: true })).toMatch(/Unrecognized key.*extra/);
    // A title of exactly the limit is fine.
    expect((await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { title: "y".repeat(MAX_TITLE_CHARS) })).status).toBe(200);
  });

  it("lets only the owner switch links; off cuts live sockets and the token, on issues a new one", async () => {
    const doc = await createDoc();
    for (const token of [doc.editToken, doc.viewToken]) {
      const res = await api("PATCH", `/api/docs/${doc.id}`, token, { viewLink: "off" });
      expect(res.status).toBe(403);
    }
    const viewer = await connect(doc.id, doc.viewToken);
    const editor = await connect(doc.id, doc.editToken);

    const off = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { viewLink: "off" });
    expect(off.status).toBe(200);
    expect(off.body.links).toEqual({ edit: "on", comment: "on", view: "off" });
    expect(off.body.issued).toBeUndefined();
    await viewer.until(() => viewer.closed !== null, "viewer cut");
    expect(viewer.closed).toEqual({ code: CloseCode.Forbidden, reason: "link revoked" });
    expect((await api("GET", `/api/docs/${doc.id}`, doc.viewToken)).status).toBe(403);
    const late = await connect(doc.id, doc.viewToken, { sync: false });
    await late.until(() => late.closed !== null, "refused");
    expect(late.closed?.code).toBe(CloseCode.Forbidden);

    // The editor was not touched.
    editor.para().insert(0, "still here");
    await editor.saved();
    expect(editor.closed).toBeNull();

    const on = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { viewLink: "on" });
    expect(on.body.links).toEqual({ edit: "on", comment: "on", view: "on" });
    const issued = (on.body.issued as { view: { token: string; url: string } }).view;
    expect(issued.token).not.toBe(doc.viewToken);
    expect(issued.url).toBe(`${ORIGIN}/d/${doc.id}#view=${issued.token}`);
    // A link that was cut never comes back; the new one works.
    expect((await api("GET", `/api/docs/${doc.id}`, doc.viewToken)).status).toBe(403);
    expect((await api("GET", `/api/docs/${doc.id}`, issued.token)).body.role).toBe("viewer");
    // Turning on a link that is already on changes nothing.
    const again = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { viewLink: "on" });
    expect(again.body.issued).toBeUndefined();
    expect((await api("GET", `/api/docs/${doc.id}`, issued.token)).status).toBe(200);
    editor.close();
  });
});

describe("POST /api/docs/<id>/links/<kind>/rotate", () => {
  it("issues a new link, kills the old one at once and closes its live sockets only", async () => {
    const doc = await createDoc();
    const owner = await connect(doc.id, doc.ownerToken);
    const editors = [await connect(doc.id, doc.editToken), await connect(doc.id, doc.editToken)];
    const viewer = await connect(doc.id, doc.viewToken);
    expect(owner.messages.find((m) => m.type === "welcome")).toMatchObject({ role: "owner" });

    const started = Date.now();
    const res = await api("POST", `/api/docs/${doc.id}/links/edit/rotate`, doc.ownerToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { token, url } = res.body as { token: string; url: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(`${ORIGIN}/d/${doc.id}#edit=${token}`);
    for (const e of editors) {
      await e.until(() => e.closed !== null, "editor cut", 1000);
      expect(e.closed).toEqual({ code: CloseCode.Forbidden, reason: "link revoked" });
    }
    console.log(`rotation → both editor sockets closed in ${Date.now() - started} ms (workerd, in-process)`);

    expect((await api("GET", `/api/docs/${doc.id}`, doc.editToken)).status).toBe(403);
    const old = await connect(doc.id, doc.editToken, { sync: false });
    await old.until(() => old.closed !== null, "old token refused");
    expect(old.closed?.code).toBe(CloseCode.Forbidden);

    // Owner and viewer stay; the new edit link edits.
    const fresh = await connect(doc.id, token);
    fresh.para().insert(0, "new link works");
    await fresh.saved();
    await owner.until(() => owner.text() === "new link works", "owner sees it");
    await viewer.until(() => viewer.text() === "new link works", "viewer sees it");
    expect(owner.closed).toBeNull();
    expect(viewer.closed).toBeNull();
    owner.close();
    viewer.close();
    fresh.close();
  });

  it("is for the owner only", async () => {
    const doc = await createDoc();
    for (const token of [doc.editToken, doc.viewToken]) {
      for (const kind of ["edit", "view"]) {
        const res = await api("POST", `/api/docs/${doc.id}/links/${kind}/rotate`, token);
        expect(res.status).toBe(403);
      }
    }
    expect((await api("POST", `/api/docs/${doc.id}/links/edit/rotate`, null)).status).toBe(401);
    expect((await api("POST", `/api/docs/${UNKNOWN}/links/edit/rotate`, doc.ownerToken)).status).toBe(404);
    // Nothing changed.
    expect((await api("GET", `/api/docs/${doc.id}`, doc.editToken)).body.role).toBe("editor");
  });

  it("keeps roles and cuts the right sockets after the room hibernated", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    const viewer = await connect(doc.id, doc.viewToken);
    editor.para().insert(0, "before sleep");
    await editor.saved();
    await viewer.until(() => viewer.text() === "before sleep", "viewer synced");

    // The instance is torn down; sockets hibernate. Roles come back from conn.setState().
    await evictDurableObject(docStub(doc.id));
    viewer.para().insert(0, "VANDAL ");
    await viewer.until(() => viewer.errors().includes("read-only"), "viewer still read-only after wake");
    editor.para().insert(12, "!");
    await editor.saved();
    expect(editor.errors()).toEqual([]);

    await evictDurableObject(docStub(doc.id));
    const res = await api("POST", `/api/docs/${doc.id}/links/view/rotate`, doc.ownerToken);
    expect(res.status).toBe(200);
    await viewer.until(() => viewer.closed !== null, "hibernated viewer cut", 1000);
    expect(viewer.closed?.code).toBe(CloseCode.Forbidden);
    expect(editor.closed).toBeNull();
    const check = await connect(doc.id, doc.ownerToken);
    await check.until(() => check.text() === "before sleep!", "content intact");
    editor.close();
    check.close();
  });
});

describe("connection state", () => {
  it("asks a socket without a recorded grant (older deploy) to reconnect instead of calling it revoked", async () => {
    const doc = await createDoc();
    const peer = await connect(doc.id, doc.editToken);
    await runInDurableObject(docStub(doc.id), (instance: Document) => {
      for (const c of instance.getConnections()) c.setState({ role: "editor" });
    });
    peer.para().insert(0, "after upgrade");
    await peer.until(() => peer.closed !== null, "closed");
    expect(peer.closed).toEqual({ code: 1000, reason: "reconnect" });
    // Reconnecting with the same, valid token works and writes.
    const again = await connect(doc.id, doc.editToken);
    again.para().insert(0, "x");
    await again.saved();
    again.close();
  });
});

describe("POST /api/docs with markdown and PUT /api/docs/<id>/content", () => {
  const exportMd = async (id: string, token: string): Promise<string> => {
    const res = await SELF.fetch(`${ORIGIN}/api/docs/${id}/export?format=md`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.text()).trim();
  };

  it("starts a document from Markdown, parsed through the editor schema", async () => {
    const md = "# Plan\n\nSome **bold** and a [link](https://example.com).\n\n- one\n- two\n\n[bad](javascript:alert(1))";
    const res = await api("POST", "/api/docs", null, { title: "Imported", markdown: md });
    expect(res.status).toBe(201);
    const doc = res.body as { id: string; viewToken: string; editToken: string };
    const out = await exportMd(doc.id, doc.viewToken);
    expect(out).toContain("# Plan");
    expect(out).toContain("**bold**");
    expect(out).toContain("[link](https://example.com)");
    expect(out).toContain("- one\n- two");
    expect(out).not.toContain("javascript:");
    const peer = await connect(doc.id, doc.viewToken);
    await peer.until(() => peer.doc.getXmlFragment("default").length >= 3, "content synced");
    expect(peer.doc.getXmlFragment("default").toArray()[0]).toBeInstanceOf(Y.XmlElement);
    peer.close();
  });

  it("appends and replaces as ordinary Yjs changes that connected editors see at once", async () => {
    const doc = await createDoc();
    const editor = await connect(doc.id, doc.editToken);
    const fragment = editor.doc.getXmlFragment("default");
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText("typed by hand")]);
    fragment.insert(0, [p]);
    await editor.saved();

    const framesBefore = editor.binary.length;
    const appended = await api("PUT", `/api/docs/${doc.id}/content`, doc.editToken, {
      markdown: "## Added\n\nfrom the API",
      mode: "append",
    });
    expect(appended.status).toBe(200);
    expect(appended.body).toEqual({ id: doc.id, mode: "append", blocks: 2 });
    await editor.until(() => fragment.length === 3, "append seen live");
    expect(editor.binary.length).toBeGreaterThan(framesBefore);
    expect(await exportMd(doc.id, doc.viewToken)).toBe("typed by hand\n\n## Added\n\nfrom the API");

    const replaced = await api("PUT", `/api/docs/${doc.id}/content`, doc.ownerToken, { markdown: "Only this.", mode: "replace" });
    expect(replaced.status).toBe(200);
    await editor.until(() => fragment.length === 1, "replace seen live");
    expect(await exportMd(doc.id, doc.viewToken)).toBe("Only this.");
    // The editor's own copy converged to the same thing.
    expect(fragment.toString()).toContain("Only this.");
    editor.close();
  });

  it("refuses viewers, junk and oversized Markdown", async () => {
    const doc = await createDoc();
    const put = (token: string, body: unknown) => api("PUT", `/api/docs/${doc.id}/content`, token, body);
    expect((await put(doc.viewToken, { markdown: "x", mode: "append" })).status).toBe(403);
    expect((await put(doc.editToken, "{junk")).status).toBe(400);
    expect((await put(doc.editToken, { markdown: "x" })).status).toBe(400);
    expect((await put(doc.editToken, { markdown: "x", mode: "prepend" })).status).toBe(400);
    const over = "x".repeat(MAX_IMPORT_MARKDOWN_BYTES + 1);
    expect((await put(doc.editToken, { markdown: over, mode: "append" })).status).toBe(400);
    expect((await api("POST", "/api/docs", null, { markdown: over })).status).toBe(400);
    expect((await put(doc.editToken, { markdown: "é".repeat(MAX_IMPORT_MARKDOWN_BYTES / 2 + 1), mode: "append" })).status).toBe(400);
    expect((await put(doc.editToken, " ".repeat(MAX_IMPORT_BODY_BYTES + 1))).status).toBe(413);
    expect((await api("POST", `/api/docs/${doc.id}/content`, doc.editToken, { markdown: "x", mode: "append" })).status).toBe(405);
    expect(await exportMd(doc.id, doc.viewToken)).toBe("");
    // Exactly at the limit is accepted.
    const full = await put(doc.editToken, { markdown: "y".repeat(MAX_IMPORT_MARKDOWN_BYTES), mode: "append" });
    expect(full.status).toBe(200);
    expect((await exportMd(doc.id, doc.viewToken)).length).toBe(MAX_IMPORT_MARKDOWN_BYTES);
  });
});
