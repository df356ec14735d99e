/**
 * Creating documents is limited per client address, at the limit wrangler.toml sets
 * (CREATE_DOCS_PER_MINUTE): past it POST /api/docs answers 429 with Retry-After and a
 * JSON message, before reading the body; other addresses are not affected, and the
 * budget refills. (Other tests create documents from a fresh address each time.)
 */
import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { REFUSED_BODY_DRAIN_BYTES } from "../../shared/limits";
import { createsPerMinute } from "./create-limit";
import { ORIGIN, testAddress } from "../test-support/client";

function create(address: string, body: BodyInit = "{}") {
  return SELF.fetch(`${ORIGIN}/api/docs`, { method: "POST", headers: { "cf-connecting-ip": address }, body });
}

describe("POST /api/docs per address", () => {
  it("answers 429 with Retry-After past the configured limit, then lets the address in again", async () => {
    const limit = createsPerMinute(env);
    expect(limit).toBe(Number(env.CREATE_DOCS_PER_MINUTE));
    const address = testAddress();
    // The bucket refills while the loop runs (limit per minute), so on a slow machine a
    // few more than `limit` may get in before the first refusal: count them.
    const started = Date.now();
    let created = 0;
    let refused: Response | null = null;
    while (!refused && created < 2 * limit) {
      const res = await create(address);
      if (res.status === 429) refused = res;
      else {
        expect(res.status, `creation ${created + 1}`).toBe(201);
        await res.body?.cancel();
        created += 1;
      }
    }
    const refilled = Math.ceil(((Date.now() - started) / 60_000) * limit);
    expect(created).toBeGreaterThanOrEqual(limit);
    expect(created).toBeLessThanOrEqual(limit + refilled);
    if (!refused) throw new Error("never refused");
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe("rate-limited");
    expect(body.message).toContain(`${retryAfter} s`);

    // Someone else is not held back by this address.
    const other = await create(testAddress());
    expect(other.status).toBe(201);
    await other.body?.cancel();

    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    const later = await create(address);
    expect(later.status).toBe(201);
    await later.body?.cancel();
  });

  it("refuses a limited address without reading its body into anything", async () => {
    const address = testAddress();
    for (let i = 0; i < createsPerMinute(env); i++) (await create(address)).body?.cancel();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled >= 8 * 1024 * 1024) return controller.close();
          pulled += 16 * 1024;
          controller.enqueue(new Uint8Array(16 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    const res = await create(address, body);
    expect(res.status).toBe(429);
    // Dropped, up to the drain allowance, then cut: never read to its end.
    expect(pulled).toBeLessThanOrEqual(REFUSED_BODY_DRAIN_BYTES + 4 * 16 * 1024);
  });
});
