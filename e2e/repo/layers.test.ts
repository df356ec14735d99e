/**
 * The worker's folders import only downward, so each can be read knowing only what is
 * below it: lib → content → storage → access → files → ai → comments → room → routes → the Durable Object
 * and the Worker entry (worker/*.ts). A folder may import itself and anything lower;
 * tests and test helpers may import anything.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const WORKER = resolve(dirname(fileURLToPath(import.meta.url)), "../../worker");
const LAYERS = ["lib", "content", "storage", "access", "files", "ai", "comments", "room", "routes", "api", "."];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "test-support" || name === "testing" ? [] : files(p);
    return /\.tsx?$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

/** The layer of a file: its first folder under worker/, or "." at the top. */
function layer(file: string): string {
  const rel = relative(WORKER, file);
  return rel.includes("/") ? rel.split("/")[0]! : ".";
}

it("every worker folder is a known layer", () => {
  const folders = readdirSync(WORKER).filter((n) => statSync(join(WORKER, n)).isDirectory() && n !== "test-support");
  for (const f of folders) expect(LAYERS, `worker/${f}/ has no place in the layer order`).toContain(f);
});

it("imports go only downward", () => {
  const wrong: string[] = [];
  for (const file of files(WORKER)) {
    const from = LAYERS.indexOf(layer(file));
    for (const m of readFileSync(file, "utf8").matchAll(/from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = resolve(dirname(file), m[1]!);
      if (!target.startsWith(WORKER)) continue; // shared/ is below everything
      const to = LAYERS.indexOf(layer(target));
      if (to > from) wrong.push(`${relative(WORKER, file)} → ${relative(WORKER, target)}`);
    }
  }
  expect(wrong).toEqual([]);
});
