/**
 * An internal error on any HTTP route answers `{error, message}` with a short message:
 * never a stack trace or a file path (partyserver answers an exception in a Durable
 * Object's request handler with `err.stack` as a 500 body), and it is logged as one
 * line with the document id and no token.
 */
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Document } from "../Document";
import { api, docStub } from "../test-support/api";
import { createDoc } from "../test-support/client";
import { roomOf } from "../test-support/room";

const SECRET_PATH = "/srv/quire/internal/secret-module.ts";

/** Makes the document's token lookup throw, as a storage or code bug would: every
 * authenticated route goes through it. */
async function breakTokenChecks(id: string, alsoTitle = false): Promise<void> {
  await runInDurableObject(docStub(id), (instance: Document) => {
    const boom = (): never => {
      const err = new Error(`boom in ${SECRET_PATH}`);
      err.stack = `Error: boom\n    at grantFor (${SECRET_PATH}:12:7)\n    at Document.onRequest (file:///srv/quire/worker/Document.ts:300:5)`;
      throw err;
    };
    const room = roomOf(instance);
    room.links.grantFor = async () => boom();
    if (alsoTitle) room.title = boom;
  });
}

function expectNoInternals(route: string, res: { status: number; body: Record<string, unknown>; headers: Headers }): void {
  expect({ route, status: res.status, type: res.headers.get("content-type") }).toEqual({
    route,
    status: 500,
    type: "application/json; charset=utf-8",
  });
  expect(Object.keys(res.body).sort(), route).toEqual(["error", "message"]);
  expect(res.body.error, route).toBe("internal");
  const text = JSON.stringify(res.body);
  expect(text, route).not.toMatch(/\bat \S+ \(|\bat file:|\.ts\b|\.js\b|\/srv\/|node_modules|boom/);
  expect((res.body.message as string).length, route).toBeLessThan(100);
}

afterEach(() => vi.restoreAllMocks());

describe("internal errors over HTTP", () => {
  it("every document route answers a short JSON error, never a stack trace", async () => {
    const doc = await createDoc("Errors");
    const version = await api("POST", `/api/docs/${doc.id}/versions`, doc.editToken, { name: "v" });
    expect(version.status).toBe(201);
    await breakTokenChecks(doc.id, true);

    const base = `/api/docs/${doc.id}`;
    const routes: [string, string, unknown?][] = [
      ["GET", `${base}/export?format=md`],
      ["GET", `${base}/export?format=html`],
      ["GET", `${base}/export?format=docx`],
      ["POST", `${base}/files`, "not an image"],
      ["GET", base],
      ["PATCH", base, { title: "x" }],
      ["PUT", `${base}/content`, { markdown: "x", mode: "append" }],
      ["POST", `${base}/links/edit/rotate`],
      ["GET", `${base}/versions`],
      ["POST", `${base}/versions`, { name: "n" }],
      ["GET", `${base}/versions/${version.body.id as string}`],
      ["POST", `${base}/versions/${version.body.id as string}/restore`, {}],
      ["GET", `${base}/stats`],
      ["DELETE", base],
    ];
    for (const [method, path, body] of routes) {
      expectNoInternals(`${method} ${path}`, await api(method, path, doc.ownerToken, body));
    }
  });

  it("logs one line per failure with the document id and no token", async () => {
    const doc = await createDoc();
    await breakTokenChecks(doc.id, true);
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    vi.spyOn(console, "error").mockImplementation(capture);
    vi.spyOn(console, "warn").mockImplementation(capture);
    vi.spyOn(console, "log").mockImplementation(capture);

    const res = await api("GET", `/api/docs/${doc.id}/export?format=md`, doc.viewToken);
    expect(res.status).toBe(500);
    const ours = lines.filter((l) => l.startsWith("{") && l.includes(doc.id));
    expect(ours.length).toBeGreaterThanOrEqual(1);
    for (const line of ours) {
      expect(JSON.parse(line)).toMatchObject({ level: "error", doc: doc.id });
      expect(line).not.toContain("\n");
    }
    for (const line of lines) {
      for (const token of [doc.ownerToken, doc.editToken, doc.viewToken]) expect(line).not.toContain(token);
    }
  });
});
