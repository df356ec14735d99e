/**
 * Uploads and serving through the real Worker and Durable Object: types decided by
 * magic bytes, the size cap enforced while the body streams, roles, the 201 shape,
 * the headers files are served with, keys that die with their link, and files going
 * with their document.
 */
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fileKeyFromToken, uploadFileResponseSchema } from "../../shared/files";
import { MAX_FILE_BYTES, REFUSED_BODY_DRAIN_BYTES } from "../../shared/limits";
import { r2Keys } from "../test-support/api";
import { createDoc, ORIGIN } from "../test-support/client";
import { api } from "../test-support/content";
import { gif, jpegHead, png, SVG, webpHead } from "../test-support/images";

function upload(id: string, token: string | null, body: BodyInit, type: string, extra: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { "content-type": type, ...extra };
  if (token) headers.authorization = `Bearer ${token}`;
  return SELF.fetch(`${ORIGIN}/api/docs/${id}/files`, { method: "POST", headers, body });
}

async function uploaded(id: string, token: string, bytes: Uint8Array, type = "image/png") {
  const res = await upload(id, token, bytes, type);
  expect(res.status).toBe(201);
  return uploadFileResponseSchema.parse(await res.json());
}

const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${ORIGIN}${path}`, { headers });

describe("POST /api/docs/<id>/files", () => {
  it("stores PNG, JPEG, GIF and WebP under docs/<id>/files/ and answers 201 {id, url, width, height, bytes}", async () => {
    const doc = await createDoc();
    const cases = [
      { bytes: png(30, 20), type: "image/png", size: [30, 20] },
      { bytes: jpegHead(640, 480), type: "image/jpeg", size: [640, 480] },
      { bytes: gif(5, 7), type: "image/gif", size: [5, 7] },
      { bytes: webpHead(300, 100), type: "image/webp", size: [300, 100] },
    ];
    for (const c of cases) {
      const res = await upload(doc.id, doc.editToken, c.bytes, c.type);
      expect(res.status).toBe(201);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(["bytes", "height", "id", "url", "width"]);
      const out = uploadFileResponseSchema.parse(body);
      expect(out).toEqual({
        id: out.id,
        url: `/api/docs/${doc.id}/files/${out.id}`,
        width: c.size[0],
        height: c.size[1],
        bytes: c.bytes.byteLength,
      });
      const obj = await env.SNAPSHOTS.get(`docs/${doc.id}/files/${out.id}`);
      expect(obj?.httpMetadata?.contentType).toBe(c.type);
      expect(new Uint8Array(await obj!.arrayBuffer())).toEqual(c.bytes);
    }
  });

  it("stores the type the bytes show, not the one the header claims", async () => {
    const doc = await createDoc();
    const out = await uploaded(doc.id, doc.ownerToken, gif(2, 2), "image/png");
    expect((await env.SNAPSHOTS.head(`docs/${doc.id}/files/${out.id}`))?.httpMetadata?.contentType).toBe("image/gif");
  });

  it("refuses SVG and anything that is not one of the four formats with 415, by header or by bytes", async () => {
    const doc = await createDoc();
    const refused: [Uint8Array, string][] = [
      [SVG, "image/svg+xml"],
      [SVG, "image/png"], // lying header: the bytes decide
      [new TextEncoder().encode("<html><script>alert(1)</script>"), "image/jpeg"],
      [png(2, 2), "application/octet-stream"],
      [png(2, 2), "text/html"],
      [new TextEncoder().encode("BM not really a bitmap"), "image/webp"],
    ];
    for (const [bytes, type] of refused) {
      const res = await upload(doc.id, doc.editToken, bytes, type);
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({ error: "unsupported-type" });
    }
    expect(await r2Keys(`docs/${doc.id}/files/`)).toEqual([]);
  });

  it("answers 413 for a declared length over the cap without reading, and for a streamed body as soon as it passes the cap", async () => {
    const doc = await createDoc();
    const declared = await upload(doc.id, doc.editToken, png(2, 2), "image/png", { "content-length": String(MAX_FILE_BYTES + 1) });
    expect(declared.status).toBe(413);

    // A chunked body with no length, three times the cap, made as it is read: the
    // server must stop pulling near the cap rather than read (or keep) all of it.
    const CHUNK = 256 * 1024;
    const TOTAL = 3 * MAX_FILE_BYTES;
    let pulled = 0;
    let cancelled = false;
    const head = png(4, 4);
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled >= TOTAL) return controller.close();
          const chunk = new Uint8Array(CHUNK);
          if (pulled === 0) chunk.set(head);
          pulled += CHUNK;
          controller.enqueue(chunk);
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const res = await upload(doc.id, doc.editToken, stream, "image/png");
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "file-too-large" });
    await new Promise((r) => setTimeout(r, 50));
    expect(pulled).toBeGreaterThan(MAX_FILE_BYTES);
    // The cap, what the pipe between Worker and Durable Object holds (measured: one
    // chunk), and what the Worker drops after a refusal to keep the connection usable
    // (REFUSED_BODY_DRAIN_BYTES, as on every body route): never the whole body; and the
    // sender is told to stop.
    expect(pulled).toBeLessThanOrEqual(MAX_FILE_BYTES + REFUSED_BODY_DRAIN_BYTES + 4 * CHUNK);
    expect(cancelled).toBe(true);
    expect(await r2Keys(`docs/${doc.id}/files/`)).toEqual([]);

    // Exactly the cap is fine.
    const full = new Uint8Array(MAX_FILE_BYTES);
    full.set(head);
    expect((await upload(doc.id, doc.editToken, full, "image/png")).status).toBe(201);
  });

  it("needs an owner or edit token: 401 without one, 403 for a wrong one or a view token", async () => {
    const doc = await createDoc();
    const other = await createDoc();
    expect((await upload(doc.id, null, png(1, 1), "image/png")).status).toBe(401);
    expect((await upload(doc.id, other.editToken, png(1, 1), "image/png")).status).toBe(403);
    const viewer = await upload(doc.id, doc.viewToken, png(1, 1), "image/png");
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: "read-only" });
    expect((await upload(doc.id, doc.ownerToken, png(1, 1), "image/png")).status).toBe(201);
    expect((await upload("not..an..id", doc.ownerToken, png(1, 1), "image/png")).status).toBe(400);
    expect(
      (await SELF.fetch(`${ORIGIN}/api/docs/${doc.id}/files`, { headers: { authorization: `Bearer ${doc.ownerToken}` } })).status,
    ).toBe(405);
  });
});

describe("GET /api/docs/<id>/files/<file>", () => {
  it("serves the bytes with their type, nosniff, a year of private immutable caching and a CSP that allows nothing", async () => {
    const doc = await createDoc();
    const bytes = png(12, 8);
    const { url } = await uploaded(doc.id, doc.editToken, bytes);
    const key = await fileKeyFromToken(doc.id, doc.viewToken);
    const res = await get(`${url}?key=${key}`);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="[A-Za-z0-9_-]{22}\.png"$/);
    expect(res.headers.get("content-length")).toBe(String(bytes.byteLength));
    const etag = res.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await get(`${url}?key=${key}`, { "if-none-match": etag! });
    expect(again.status).toBe(304);
    // A bearer token works too (API clients), any role.
    expect((await get(url, { authorization: `Bearer ${doc.viewToken}` })).status).toBe(200);
  });

  it("refuses without a key or token (401), with a wrong or other document's key (403), and 404s unknown files", async () => {
    const doc = await createDoc();
    const other = await createDoc();
    const { url, id } = await uploaded(doc.id, doc.editToken, png(2, 2));
    expect((await get(url)).status).toBe(401);
    expect((await get(`${url}?key=${"x".repeat(43)}`)).status).toBe(403);
    expect((await get(`${url}?key=${await fileKeyFromToken(other.id, other.editToken)}`)).status).toBe(403);
    expect((await get(`${url}?key=${await fileKeyFromToken(doc.id, other.editToken)}`)).status).toBe(403);
    expect((await get(url, { authorization: `Bearer ${other.editToken}` })).status).toBe(403);
    const key = await fileKeyFromToken(doc.id, doc.editToken);
    const missing = await get(`${url.replace(id, "A".repeat(22))}?key=${key}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/json");
    expect((await get(`/api/docs/${doc.id}/files/..%2Fmeta.json?key=${key}`)).status).toBe(404);
  });

  it("a reset link's key stops working at once; the other links' keys and the new link's key work", async () => {
    const doc = await createDoc();
    const { url } = await uploaded(doc.id, doc.editToken, png(2, 2));
    const oldView = await fileKeyFromToken(doc.id, doc.viewToken);
    const edit = await fileKeyFromToken(doc.id, doc.editToken);
    expect((await get(`${url}?key=${oldView}`)).status).toBe(200);
    const rotated = await api(`/api/docs/${doc.id}/links/view/rotate`, { token: doc.ownerToken, method: "POST" });
    expect(rotated.status).toBe(200);
    const { token } = (await rotated.json()) as { token: string };
    expect((await get(`${url}?key=${oldView}`)).status).toBe(403);
    expect((await get(`${url}?key=${edit}`)).status).toBe(200);
    expect((await get(`${url}?key=${await fileKeyFromToken(doc.id, token)}`)).status).toBe(200);
    // Switching the edit link off kills its key too.
    expect((await api(`/api/docs/${doc.id}`, { token: doc.ownerToken, method: "PATCH", body: { editLink: "off" } })).status).toBe(200);
    expect((await get(`${url}?key=${edit}`)).status).toBe(403);
  });
});

describe("files and document deletion", () => {
  it("deleting a document deletes its files from R2, and their addresses answer 410", async () => {
    const doc = await createDoc();
    const a = await uploaded(doc.id, doc.editToken, png(3, 3));
    await uploaded(doc.id, doc.editToken, gif(1, 1), "image/gif");
    expect(await r2Keys(`docs/${doc.id}/files/`)).toHaveLength(2);
    const del = await api(`/api/docs/${doc.id}`, { token: doc.ownerToken, method: "DELETE" });
    expect(del.status).toBe(200);
    expect(await r2Keys(`docs/${doc.id}/`)).toEqual([]);
    expect((await get(`${a.url}?key=${await fileKeyFromToken(doc.id, doc.editToken)}`)).status).toBe(410);
    expect((await upload(doc.id, doc.editToken, png(1, 1), "image/png")).status).toBe(410);
  });
});
