/** The documentation stays true to the code: the limits table is generated from
 * shared/limits.ts, and every path the architecture's file map names exists. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { renderedTable, withTable } from "../../scripts/limits-table";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

it("docs/SECURITY.md lists every limit in shared/limits.ts, as it is (npm run docs:limits)", () => {
  const doc = read("docs/SECURITY.md");
  expect(doc).toBe(withTable(doc, renderedTable()));
});

/** The paths the file map in docs/ARCHITECTURE.md names, nested by indentation. */
function fileMapPaths(): string[] {
  const doc = read("docs/ARCHITECTURE.md");
  const block = /## File map\n+```\n([\s\S]*?)\n```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/ARCHITECTURE.md has no file map");
  const paths: string[] = [];
  const stack: { indent: number; path: string }[] = [];
  for (const line of block.split("\n")) {
    const indent = line.length - line.trimStart().length;
    // Wrapped descriptions sit in the description column; names never do.
    if (line.trim() === "" || indent >= 20) continue;
    while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]?.path ?? "";
    const names = line
      .trim()
      .split(/\s{2,}/)[0]!
      .split(/,\s*/);
    for (const name of names) paths.push(parent + name);
    if (names.length === 1 && names[0]!.endsWith("/")) stack.push({ indent, path: parent + names[0] });
  }
  return paths;
}

const exists = (p: string): boolean => {
  if (!p.includes("*")) return existsSync(join(ROOT, p));
  const dir = dirname(p);
  const re = new RegExp(`^${basename(p).replace(/\./g, "\\.").replace(/\*/g, ".*")}$`);
  return readdirSync(join(ROOT, dir)).some((n) => re.test(n));
};

it("every path the file map in docs/ARCHITECTURE.md names exists", () => {
  const paths = fileMapPaths();
  expect(paths.length).toBeGreaterThan(40);
  expect(paths.filter((p) => !exists(p))).toEqual([]);
});

/** Folders holding source code (TypeScript, CSS, HTML), outside what is generated or installed. */
function sourceFolders(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  if (entries.some((e) => e.isFile() && /\.(tsx?|mjs|css|html)$/.test(e.name))) out.push(`${dir}/`);
  for (const e of entries) {
    if (e.isDirectory() && !["node_modules", "results", "dist"].includes(e.name)) out.push(...sourceFolders(`${dir}/${e.name}`));
  }
  return out;
}

it("the file map in docs/ARCHITECTURE.md names every source folder", () => {
  const named = new Set(fileMapPaths().filter((p) => p.endsWith("/")));
  const folders = ["client", "worker", "shared", "e2e", "bench", "scripts"].flatMap(sourceFolders);
  expect(folders.length).toBeGreaterThan(20);
  expect(folders.filter((f) => !named.has(f))).toEqual([]);
});

it("every repository path the README and docs/ name in backticks exists", () => {
  const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).map((n) => `docs/${n}`)].filter((p) => p.endsWith(".md"));
  const missing: string[] = [];
  for (const doc of docs) {
    for (const m of read(doc).matchAll(/`((?:client|worker|shared|e2e|bench|scripts|docs|\.ci)\/[\w./-]+)`/g)) {
      if (!exists(m[1]!)) missing.push(`${doc}: ${m[1]}`);
    }
  }
  expect(missing).toEqual([]);
});
