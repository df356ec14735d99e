/**
 * Every benchmark figure the docs quote can be traced: the generated tables of README.md
 * ("Performance") and docs/BENCHMARKS.md are rendered again from the result file their
 * marker names and must match it exactly, and a figure written outside those tables
 * must say it was observed (with its date) or name the test that asserts it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findBlocks, GENERATED_FILES, renderBlock } from "../../bench/report";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

describe.each(GENERATED_FILES)("%s", (file) => {
  const blocks = findBlocks(read(file));

  it("has generated benchmark blocks", () => {
    expect(blocks.map((b) => b.name)).toEqual(expect.arrayContaining(file === "README.md" ? ["readme"] : ["full", "cost"]));
  });

  it.each(blocks.map((b) => [b.name, b] as const))("bench:%s matches the result file it names (npm run bench:report)", (_, b) => {
    expect(b.source).toMatch(/^bench\/results\/(full|quick|cost)\/[\w.-]+\.json$/);
    expect(existsSync(join(ROOT, b.source)), `${b.source} is missing`).toBe(true);
    expect(b.body).toBe(renderBlock(ROOT, b.name, b.source));
  });
});

it("every `latest` pointer names a result file that exists", () => {
  for (const mode of ["full", "quick", "cost"]) {
    const pointer = join(ROOT, "bench/results", mode, "latest");
    if (!existsSync(pointer)) continue;
    const name = readFileSync(pointer, "utf8").trim();
    expect(existsSync(join(ROOT, "bench/results", mode, name)), `${mode}/latest → ${name}`).toBe(true);
  }
});

/** A measured quantity: a number with a unit of time, size, rate or ratio, or a dollar sum. */
const FIGURE = /(\d[\d,.]*\s?(ms|s|MiB|MB|KiB|KB|GB|%|×|\/s|keys\/s|updates\/s)(?![\w/])|\$\d+\.\d+(?!\/))/;
/** What makes a figure outside the generated tables acceptable. */
const TRACED =
  /\bobserved\b[\s\S]*?\d{4}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2}[\s\S]*?\bobserved\b|e2e\/[\w./-]+\.(test|spec)\.ts|\.workers\.test\.ts/i;

/** Paragraphs (tables included) outside generated blocks and fenced code, with the
 * headings above them. */
function paragraphs(text: string): { headings: string; text: string }[] {
  let rest = text;
  for (const b of findBlocks(text).reverse()) {
    const start = rest.lastIndexOf("<!-- bench:", b.from - 1);
    const end = rest.indexOf("-->", b.to) + 3;
    rest = `${rest.slice(0, start)}${rest.slice(end)}`;
  }
  rest = rest.replace(/```[\s\S]*?```/g, "");
  const out: { headings: string; text: string }[] = [];
  const headings: string[] = [];
  for (const para of rest.split(/\n\s*\n/)) {
    const m = /^(#+) (.*)/.exec(para.trim());
    if (m) {
      headings.length = m[1]!.length - 1;
      headings.push(m[2]!);
      continue;
    }
    out.push({ headings: headings.join(" / "), text: para });
  }
  return out;
}

function untraced(text: string): string[] {
  const paras = paragraphs(text);
  return paras
    .filter((p, i) => {
      if (!FIGURE.test(p.text)) return false;
      // A table is traced by the paragraph that introduces it.
      const intro = p.text.trimStart().startsWith("|") ? (paras[i - 1]?.text ?? "") : "";
      return !TRACED.test(`${p.headings}\n${intro}\n${p.text}`);
    })
    .map((p) => `${p.headings}: ${p.text.trim().slice(0, 160)}`);
}

it("every figure outside the generated tables is labelled observed (with its date) or names its test", () => {
  const readme = read("README.md");
  const perf = /\n## Performance\n[\s\S]*?(?=\n## )/.exec(readme)?.[0];
  if (!perf) throw new Error('README.md has no "Performance" section');
  expect(untraced(perf)).toEqual([]);
  expect(untraced(read("docs/BENCHMARKS.md"))).toEqual([]);
});

it("the figure check itself catches an untraced figure", () => {
  expect(untraced("## Speed\n\nFan-out p50 is 1.2 ms.\n")).toHaveLength(1);
  expect(untraced("## Speed\n\nFan-out p50 was 1.2 ms (observed 2026-12-10).\n")).toEqual([]);
  expect(untraced("## Speed (observed 2026-12-10)\n\n| a | 3 ms |\n")).toEqual([]);
  expect(untraced("## Speed\n\nClosed after 0.2 s (`e2e/flood.int.test.ts` asserts ≤ 2 s).\n")).toEqual([]);
});
