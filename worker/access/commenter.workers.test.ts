/**
 * The comment link: a fourth link beside owner, edit and view. It reads like a view
 * link and may comment, but its Yjs writes are refused like a viewer's; the owner
 * resets and switches it like the others.
 */
import { describe, expect, it } from "vitest";
import { CloseCode } from "../../shared/close-codes";
import { api } from "../test-support/api";
import { ORIGIN, connect, createDoc } from "../test-support/client";

describe("the comment link", () => {
  it("comes with a new document and opens it as a commenter", async () => {
    const doc = await createDoc("Comments");
    expect(doc.commentToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([doc.ownerToken, doc.editToken, doc.commentToken, doc.viewToken]).size).toBe(4);
    expect(doc.commentUrl).toBe(`${ORIGIN}/d/${doc.id}#comment=${doc.commentToken}`);
    const info = await api("GET", `/api/docs/${doc.id}`, doc.commentToken);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ role: "commenter" });
    expect(info.body.links).toBeUndefined();
  });

  it("reads live but cannot write the document, rename it, replace its content or manage links", async () => {
    const doc = await createDoc("Keep");
    const editor = await connect(doc.id, doc.editToken);
    const commenter = await connect(doc.id, doc.commentToken);
    expect(commenter.messages.find((m) => m.type === "welcome")).toMatchObject({ role: "commenter" });
    editor.para().insert(0, "hello");
    await editor.saved();
    await commenter.until(() => commenter.text() === "hello", "commenter reads live");

    commenter.para().insert(0, "VANDAL ");
    await commenter.until(() => commenter.errors().includes("read-only"), "write refused");
    const check = await connect(doc.id, doc.ownerToken);
    await check.until(() => check.text() === "hello", "owner synced");
    expect(check.text()).toBe("hello");
    expect(editor.text()).toBe("hello");

    expect((await api("PATCH", `/api/docs/${doc.id}`, doc.commentToken, { title: "Mine" })).status).toBe(403);
    expect((await api("PUT", `/api/docs/${doc.id}/content`, doc.commentToken, { markdown: "x", mode: "append" })).status).toBe(403);
    expect((await api("PATCH", `/api/docs/${doc.id}`, doc.commentToken, { commentLink: "off" })).status).toBe(403);
    expect((await api("POST", `/api/docs/${doc.id}/links/comment/rotate`, doc.commentToken)).status).toBe(403);
    expect((await api("GET", `/api/docs/${doc.id}`, doc.ownerToken)).body.title).toBe("Keep");
    editor.close();
    commenter.close();
    check.close();
  });

  it("is reset and turned off by the owner, cutting live commenters only", async () => {
    const doc = await createDoc();
    const commenter = await connect(doc.id, doc.commentToken);
    const viewer = await connect(doc.id, doc.viewToken);
    const rotated = await api("POST", `/api/docs/${doc.id}/links/comment/rotate`, doc.ownerToken);
    expect(rotated.status).toBe(200);
    const { token, url } = rotated.body as { token: string; url: string };
    expect(url).toBe(`${ORIGIN}/d/${doc.id}#comment=${token}`);
    await commenter.until(() => commenter.closed !== null, "commenter cut");
    expect(commenter.closed).toEqual({ code: CloseCode.Forbidden, reason: "link revoked" });
    expect((await api("GET", `/api/docs/${doc.id}`, doc.commentToken)).status).toBe(403);
    expect((await api("GET", `/api/docs/${doc.id}`, token)).body.role).toBe("commenter");

    const off = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { commentLink: "off" });
    expect(off.status).toBe(200);
    expect(off.body.links).toEqual({ edit: "on", comment: "off", view: "on" });
    expect((await api("GET", `/api/docs/${doc.id}`, token)).status).toBe(403);
    const on = await api("PATCH", `/api/docs/${doc.id}`, doc.ownerToken, { commentLink: "on" });
    const issued = (on.body.issued as { comment: { token: string } }).comment;
    expect(issued.token).not.toBe(token);
    expect((await api("GET", `/api/docs/${doc.id}`, issued.token)).body.role).toBe("commenter");
    expect(viewer.closed).toBeNull();
    viewer.close();
  });
});
