/** The documentation stays true to the code: the limits table is generated from
 * shared/limits.ts, and every path the architecture's file map names exists. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { renderedTable, withTable } from "../../scripts/limits-table";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

it("docs/SECURITY.md lists every limit in shared/limits.ts, as it is (npm run docs:limits)", () => {
  const doc = read("docs/SECURITY.md");
  expect(doc).toBe(withTable(doc, renderedTable()));
});
