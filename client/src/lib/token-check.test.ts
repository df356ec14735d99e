import { afterEach, describe, expect, it, vi } from "vitest";
import { checkToken } from "./token-check";

const ID = "AAAAAAAAAAAAAAAAAAAAAA";
const info = { id: ID, title: "T", role: "editor", createdAt: 1, updatedAt: 2 };

function answer(res: Response | Error) {
  const fetch = vi.fn(async () => {
    if (res instanceof Error) throw res;
    return res;
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe("checkToken", () => {
  it("asks GET /api/docs/<id>/access with the token as a bearer, never in the URL", async () => {
    const fetch = answer(Response.json({ access: "open", info }));
    expect(await checkToken(ID, "t".repeat(43))).toEqual({ kind: "granted", role: "editor" });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`/api/docs/${ID}/access`);
    expect(new Headers(init.headers).get("authorization")).toBe(`Bearer ${"t".repeat(43)}`);
  });

  it("reads the server's answer (refused, missing, deleted); anything else it cannot read as no answer yet", async () => {
    for (const access of ["refused", "missing", "deleted"] as const) {
      answer(Response.json({ access }));
      expect(await checkToken(ID, "x")).toEqual({ kind: access });
    }
    for (const status of [401, 403, 404, 410, 429, 500, 503]) {
      answer(Response.json({ error: "e", message: "m" }, { status }));
      expect(await checkToken(ID, "x"), String(status)).toEqual({ kind: "unknown" });
    }
    answer(new TypeError("Failed to fetch"));
    expect(await checkToken(ID, "x")).toEqual({ kind: "unknown" });
    answer(new Response("<html>captive portal</html>"));
    expect(await checkToken(ID, "x")).toEqual({ kind: "unknown" });
  });
});
