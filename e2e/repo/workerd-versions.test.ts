/**
 * The Durable Object tier (`*.workers.test.ts`, @cloudflare/vitest-pool-workers) runs a
 * workerd of its own: the pool pins its Miniflare, and 0.23.0, the newest the registry
 * has, pins an older one than the Miniflare `npm start` serves with (scripts/serve.mjs →
 * Miniflare → workerd, the same as wrangler's). They cannot be made one without
 * overriding the pool's Miniflare, which it was not built against. So this states the
 * difference and checks it: a bump of either side fails here until docs/RELIABILITY.md
 * ("Tests") and the versions below are updated, and the compatibility date Quire runs
 * with must be one both runtimes support, so the tier runs Quire's code with the same
 * compatibility behaviour as `npm start` does.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Versions as stated in docs/RELIABILITY.md ("Tests"). */
const SERVED = { miniflare: "5.20261012.0-beta", workerd: "1.20261012.1" };
const WORKERS_TIER = { miniflare: "5.20260815.0-alpha", workerd: "1.20260815.1" };

/** The package `name` as Node resolves it from the directory `from`: the nearest
 * node_modules/<name> up the tree (package.json itself is not always exported). */
function pkg(name: string, from: string): { version: string; dir: string } {
  for (let dir = from; ; dir = dirname(dir)) {
    const path = join(dir, "node_modules", name, "package.json");
    if (existsSync(path)) return { version: (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version, dir: dirname(path) };
    if (dirname(dir) === dir) throw new Error(`${name} is not installed above ${from}`);
  }
}

/** The runtime behind a Miniflare: its miniflare and workerd packages. */
function runtime(from: string): { miniflare: string; workerd: string } {
  const miniflare = pkg("miniflare", from);
  return { miniflare: miniflare.version, workerd: pkg("workerd", miniflare.dir).version };
}

/** workerd 1.YYYYMMDD.n supports compatibility dates up to YYYY-MM-DD. */
const newestDate = (workerd: string) => workerd.split(".")[1]!.replace(/(\d{4})(\d{2})(\d{2})/, "$1-$2-$3");

it("the workerd `npm start` serves and the one the workers tier runs are the ones the docs name", () => {
  expect(runtime(ROOT)).toEqual(SERVED);
  expect(runtime(pkg("@cloudflare/vitest-pool-workers", ROOT).dir)).toEqual(WORKERS_TIER);
  expect(readFileSync(join(ROOT, "docs/RELIABILITY.md"), "utf8")).toContain(
    `workers tier runs workerd ${WORKERS_TIER.workerd}; \`npm start\` serves workerd ${SERVED.workerd}`,
  );
});

it("both support the compatibility date Quire runs with", () => {
  const date = /compatibility_date\s*=\s*"([\d-]+)"/.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1];
  expect(date).toBeDefined();
  expect(date! <= newestDate(SERVED.workerd), `npm start's workerd supports ${date}`).toBe(true);
  expect(date! <= newestDate(WORKERS_TIER.workerd), `the workers tier's workerd supports ${date}`).toBe(true);
});
