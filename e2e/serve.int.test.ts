/**
 * `npm start`'s serving path as a client meets it: the per-address creation limit holds
 * on the real server, and a client cannot pick the address it is counted against by
 * sending its own CF-Connecting-IP (Cloudflare's edge sets that header; locally
 * scripts/edge.js does). Behind a reverse proxy (opt-in), X-Forwarded-For decides. And
 * every address answers with the app's page, with a 404 status where the app has no page.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startQuire, type QuireServer } from "./support/server";

let server: QuireServer | undefined;
beforeAll(async () => {
  server = await startQuire({ env: { CREATE_DOCS_PER_MINUTE: "2" } });
});
afterAll(async () => {
  await server?.stop();
});

it("counts every local client as 127.0.0.1, whatever CF-Connecting-IP it sends", async () => {
  const create = (address: string) =>
    fetch(`${server!.http}/api/docs`, { method: "POST", headers: { "cf-connecting-ip": address }, body: "{}" }).then((r) => r.status);
  expect(await create("198.18.0.1")).toBe(201);
  expect(await create("198.18.0.2")).toBe(201);
  // A third "address" is the same client: over the limit.
  expect(await create("198.18.0.3")).toBe(429);
});

it("answers the app's page: 200 for the home page and a document, 404 for any other address", async () => {
  const get = async (path: string) => {
    const res = await fetch(`${server!.http}${path}`, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } });
    return { status: res.status, html: await res.text(), csp: res.headers.get("content-security-policy") };
  };
  const page = (r: { html: string }) => r.html.includes('<div id="root">');
  for (const path of ["/", "/d/AAAAAAAAAAAAAAAAAAAAAA", "/d/AAAAAAAAAAAAAAAAAAAAAA/"]) {
    const r = await get(path);
    expect([path, r.status, page(r)]).toEqual([path, 200, true]);
  }
  // Before: "single-page-application" answered 200 for every path.
  for (const path of ["/nope", "/d/short", "/d/AAAAAAAAAAAAAAAAAAAAAA/extra", "/docs/x.html"]) {
    const r = await get(path);
    expect([path, r.status, page(r)]).toEqual([path, 404, true]);
    // The same security headers as the app's own page.
    expect(r.csp).toContain("default-src 'self'");
  }
  expect((await get("/api/nope")).status).toBe(404);
});

it("behind a trusted proxy (QUIRE_TRUSTED_PROXY), counts each client by the last address a trusted proxy saw", async () => {
  await server?.stop();
  server = await startQuire({ env: { CREATE_DOCS_PER_MINUTE: "2", QUIRE_TRUSTED_PROXY: "10.0.0.0/8" } });
  const create = (forwardedFor?: string) =>
    fetch(`${server!.http}/api/docs`, {
      method: "POST",
      headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
      body: "{}",
    }).then((r) => r.status);
  expect(await create("203.0.113.5")).toBe(201);
  expect(await create("203.0.113.5")).toBe(201);
  expect(await create("203.0.113.5")).toBe(429);
  // What a client writes to the left of what the proxy appended is never used.
  expect(await create("198.51.100.1, 203.0.113.5")).toBe(429);
  // Another client has a budget of its own, also reached through a trusted hop.
  expect(await create("203.0.113.9")).toBe(201);
  expect(await create("203.0.113.9, 10.1.2.3")).toBe(201);
  expect(await create("203.0.113.9")).toBe(429);
  // No header (or a malformed one): the shared local budget, as without the setting.
  expect(await create()).toBe(201);
  expect(await create("not an address")).toBe(201);
  expect(await create()).toBe(429);
});
