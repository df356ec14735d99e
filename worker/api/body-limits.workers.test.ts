/**
 * Request bodies are limited while they stream in: an oversized body is refused with
 * 413 after at most the cap, plus REFUSED_BODY_DRAIN_BYTES dropped unkept (plus what
 * the runtime's pipes buffer), has been pulled from the sender, on every route that
 * reads one; a route that needs a token refuses a wrong one before the DO reads the body.
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_API_BODY_BYTES, MAX_IMPORT_BODY_BYTES, REFUSED_BODY_DRAIN_BYTES } from "../../shared/limits";
import { api } from "../test-support/api";
import { ORIGIN, createDoc, testAddress } from "../test-support/client";

/** Far over every cap: reading it all would show up as ~32 MiB pulled. */
const HUGE_BYTES = 32 * 1024 * 1024;
const CHUNK_BYTES = 16 * 1024;
/** What the runtime's pipes between the sender, the Worker and the DO pull ahead of the
 * reader (measured: one chunk, two behind a FixedLengthStream). */
const SLACK_BYTES = 4 * CHUNK_BYTES;

/** A body that counts what was pulled from it. */
function countingBody(totalBytes = HUGE_BYTES): { stream: ReadableStream<Uint8Array>; pulled(): number } {
  let pulled = 0;
  const chunk = new Uint8Array(CHUNK_BYTES).fill(0x20);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= totalBytes) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk.slice());
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

async function send(method: string, path: string, token: string | null, stream: ReadableStream<Uint8Array>) {
  const headers: Record<string, string> = { "content-type": "application/json", "cf-connecting-ip": testAddress() };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await SELF.fetch(`${ORIGIN}${path}`, { method, headers, body: stream });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface BodyRoute {
  name: string;
  method: string;
  path: string;
  token: string | null;
  capBytes: number;
}

async function bodyRoutes(): Promise<BodyRoute[]> {
  const doc = await createDoc("Limits");
  const named = await api("POST", `/api/docs/${doc.id}/versions`, doc.editToken, { name: "v" });
  expect(named.status).toBe(201);
  const base = `/api/docs/${doc.id}`;
  return [
    { name: "POST /api/docs", method: "POST", path: "/api/docs", token: null, capBytes: MAX_IMPORT_BODY_BYTES },
    { name: "PATCH /api/docs/<id>", method: "PATCH", path: base, token: doc.ownerToken, capBytes: MAX_API_BODY_BYTES },
    { name: "PUT …/content", method: "PUT", path: `${base}/content`, token: doc.editToken, capBytes: MAX_IMPORT_BODY_BYTES },
    { name: "POST …/versions", method: "POST", path: `${base}/versions`, token: doc.editToken, capBytes: MAX_API_BODY_BYTES },
    {
      name: "POST …/versions/<v>/restore",
      method: "POST",
      path: `${base}/versions/${named.body.id as string}/restore`,
      token: doc.editToken,
      capBytes: MAX_API_BODY_BYTES,
    },
  ];
}

describe("oversized bodies", () => {
  it("a chunked body far over the cap gets 413 without being read in full, on every body route", async () => {
    for (const route of await bodyRoutes()) {
      const body = countingBody();
      const res = await send(route.method, route.path, route.token, body.stream);
      expect({ route: route.name, status: res.status, error: res.body.error }).toEqual({
        route: route.name,
        status: 413,
        error: "too-large",
      });
      expect(res.body.message).toMatch(/larger than the \d+ KiB/);
      expect(body.pulled(), route.name).toBeGreaterThan(0);
      expect(body.pulled(), route.name).toBeLessThanOrEqual(route.capBytes + REFUSED_BODY_DRAIN_BYTES + SLACK_BYTES);
    }
  });

  it("a declared Content-Length over the cap is refused before anything is read", async () => {
    for (const route of await bodyRoutes()) {
      const body = countingBody();
      const declared = body.stream.pipeThrough(new FixedLengthStream(HUGE_BYTES));
      const res = await send(route.method, route.path, route.token, declared);
      expect({ route: route.name, status: res.status }).toEqual({ route: route.name, status: 413 });
      expect(body.pulled(), route.name).toBeLessThanOrEqual(SLACK_BYTES);
    }
  });

  it("a route that needs a token refuses a wrong one before reading the body", async () => {
    const other = await createDoc();
    for (const route of (await bodyRoutes()).filter((r) => r.token !== null)) {
      const body = countingBody();
      const res = await send(route.method, route.path, other.editToken, body.stream);
      expect({ route: route.name, status: res.status }).toEqual({ route: route.name, status: 403 });
      // What the Worker dropped after the DO's refusal, not a body read to check it.
      expect(body.pulled(), route.name).toBeLessThanOrEqual(REFUSED_BODY_DRAIN_BYTES + SLACK_BYTES);
    }
  });

  it("a body only a little too large is dropped to its end, so its connection stays usable", async () => {
    const total = MAX_IMPORT_BODY_BYTES + 20 * CHUNK_BYTES;
    const body = countingBody(total);
    const res = await send("POST", "/api/docs", null, body.stream);
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeGreaterThanOrEqual(total);
  });

  it("a route that takes no body never reads one", async () => {
    const doc = await createDoc();
    const body = countingBody();
    const res = await send("POST", `/api/docs/${doc.id}/links/edit/rotate`, doc.ownerToken, body.stream);
    expect(res.status).toBe(200);
    expect(body.pulled()).toBeLessThanOrEqual(REFUSED_BODY_DRAIN_BYTES + SLACK_BYTES);
  });

  it("bodies within the cap still work, including one streamed in many chunks", async () => {
    const doc = await createDoc();
    const markdown = "word ".repeat(20_000);
    const chunks = new TextEncoder().encode(JSON.stringify({ markdown, mode: "replace" }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < chunks.byteLength; i += 1000) controller.enqueue(chunks.slice(i, i + 1000));
        controller.close();
      },
    });
    const res = await send("PUT", `/api/docs/${doc.id}/content`, doc.editToken, stream);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mode: "replace", blocks: 1 });
  });
});
