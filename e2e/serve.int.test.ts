/**
 * `npm start`'s serving path as a client meets it: the per-address creation limit holds
 * on the real server, and a client cannot pick the address it is counted against by
 * sending its own CF-Connecting-IP (Cloudflare's edge sets that header; locally
 * scripts/edge.js does).
 */
import { afterAll, expect, it } from "vitest";
import { startQuire, type QuireServer } from "./support/server";

let server: QuireServer | undefined;
afterAll(async () => {
  await server?.stop();
});

it("counts every local client as 127.0.0.1, whatever CF-Connecting-IP it sends", async () => {
  server = await startQuire({ env: { CREATE_DOCS_PER_MINUTE: "2" } });
  const create = (address: string) =>
    fetch(`${server!.http}/api/docs`, { method: "POST", headers: { "cf-connecting-ip": address }, body: "{}" }).then((r) => r.status);
  expect(await create("198.18.0.1")).toBe(201);
  expect(await create("198.18.0.2")).toBe(201);
  // A third "address" is the same client: over the limit.
  expect(await create("198.18.0.3")).toBe(429);
});
